/** Up to two initials from a name ("Ana María López" -> "AL"); falls back to the e-mail's first letter. */
export function initials(name: string | null | undefined, fallback = '?'): string {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return fallback.slice(0, 1).toUpperCase() || '?';
  const first = words[0]!;
  const last = words.length > 1 ? words[words.length - 1]! : '';
  return (Array.from(first)[0]! + (last ? Array.from(last)[0]! : '')).toUpperCase();
}

/** A stable hue per user id, so the same person has the same colour on every screen. */
export function userHue(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % 360;
}

/**
 * The initials are drawn by CSS from data-initials, so they are not text content: a button holding an
 * avatar is then named by its label alone (visible "AL" would otherwise have to be part of that name).
 */
export function Avatar({ id, name, size = 'md', title }: { id: string; name: string; size?: 'sm' | 'md'; title?: string }) {
  return (
    <span
      className={`avatar avatar-${size}`}
      style={{ '--avatar-hue': userHue(id) } as React.CSSProperties}
      title={title ?? name}
      role="img"
      aria-label={title ?? name}
      data-initials={initials(name)}
    />
  );
}
