// A stable, readable color per user for presence (cursors, avatars): derived from the id, so every client
// picks the same one without coordination.
const PALETTE = ['#1f6feb', '#d73a49', '#2da44e', '#bf8700', '#8250df', '#e16f24', '#0a7ea4', '#c2185b', '#57606a', '#1b7f5b'];

export function userColor(userId: string): string {
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (h * 31 + userId.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length];
}
