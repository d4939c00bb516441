// The caller's address, for throttling. The socket's address by default; X-Forwarded-For only when
// TRUST_PROXY=1, because without a proxy that strips and rewrites it, any client can put anything there.
// With one trusted proxy in front, the LAST X-Forwarded-For entry is the one that proxy appended (the address
// it saw); earlier entries come from the client and are not trusted.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** Used when neither a socket nor a trusted header is available (app.request in tests). */
export const UNKNOWN_IP = 'unknown';

export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).at(-1);
    if (last) return normalize(last);
  }
  try {
    const address = getConnInfo(c).remote.address;
    if (address) return normalize(address);
  } catch {
    // No Node socket behind this request (app.request in tests, another runtime).
  }
  return UNKNOWN_IP;
}

/** ::ffff:1.2.3.4 and 1.2.3.4 are the same caller. */
function normalize(address: string): string {
  const lower = address.toLowerCase().slice(0, 64);
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

/** Whether the request reached us over https (directly, or per X-Forwarded-Proto from a trusted proxy). */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}
