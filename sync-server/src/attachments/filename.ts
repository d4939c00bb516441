// File names arrive from clients and leave in Content-Disposition headers and on users' disks: strip what a
// path, a header or an operating system would misread, keep everything else (accents, CJK, emoji).

const MAX_BYTES = 200;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

export function sanitizeFilename(raw: string | undefined | null): string {
  let name = (raw ?? '').normalize('NFC');
  // Only the last path segment: "../../etc/passwd" and "C:\\x\\evil.exe" name files, not places.
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    // Control characters (CR/LF would split headers), bidi overrides ("gpj.exe" shown as "exe.jpg") and
    // characters Windows refuses in file names.
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    // Leading dots make hidden files; trailing dots and spaces are dropped by Windows.
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  name = truncateUtf8(name, MAX_BYTES);
  return name || 'file';
}

/** Cuts to at most `max` UTF-8 bytes without splitting a character, keeping the extension when it is short. */
function truncateUtf8(name: string, max: number): string {
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  if (bytes(name) <= max) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let base = [...name.slice(0, name.length - ext.length)];
  while (base.length > 0 && bytes(base.join('') + ext) > max) base = base.slice(0, -1);
  return base.join('') + ext;
}

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 / RFC 8187):
 * old clients read the plain form, every current browser the UTF-8 one.
 */
export function contentDisposition(name: string): string {
  const safe = sanitizeFilename(name);
  const ascii = safe.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Types a browser may render inline safely enough to keep; everything else is served as bytes. */
export const SAFE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain']);

export function downloadType(stored: string): string {
  const base = stored.split(';')[0]!.trim().toLowerCase();
  if (!SAFE_TYPES.has(base)) return 'application/octet-stream';
  // Plain text is served as UTF-8 so the browser never guesses a charset (UTF-7 tricks).
  return base === 'text/plain' ? 'text/plain; charset=utf-8' : base;
}

/** A declared upload type, reduced to `type/subtype` or octet-stream when it is not one. */
export function normalizeMime(declared: string | undefined): string {
  const base = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(base) ? base : 'application/octet-stream';
}
