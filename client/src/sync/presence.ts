// Who is on the board now and which task each has open, from y-protocols awareness states. Remote states
// are untrusted input: anything not shaped like ours is skipped.
import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';

export interface PresenceEntry {
  clientId: number;
  user: { id: string; name: string; color: string };
  openTaskId: string | null;
  isSelf: boolean;
}

function parse(clientId: number, state: unknown, selfId: number): PresenceEntry | null {
  if (typeof state !== 'object' || state === null) return null;
  const { user, openTaskId } = state as { user?: unknown; openTaskId?: unknown };
  if (typeof user !== 'object' || user === null) return null;
  const { id, name, color } = user as { id?: unknown; name?: unknown; color?: unknown };
  if (typeof id !== 'string' || typeof name !== 'string') return null;
  return {
    clientId,
    user: { id, name: name.slice(0, 200), color: typeof color === 'string' && /^#[0-9a-fA-F]{6}$/.test(color) ? color : '#57606a' },
    openTaskId: typeof openTaskId === 'string' ? openTaskId : null,
    isSelf: clientId === selfId,
  };
}

export function readPresence(awareness: Awareness): PresenceEntry[] {
  const out: PresenceEntry[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    const entry = parse(clientId, state, awareness.clientID);
    if (entry) out.push(entry);
  }
  return out.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.user.name.localeCompare(b.user.name));
}

/** Everyone present on the project (one entry per tab/device; self first). */
export function usePresence(awareness: Awareness | null | undefined): PresenceEntry[] {
  const [entries, setEntries] = useState<PresenceEntry[]>(() => (awareness ? readPresence(awareness) : []));
  useEffect(() => {
    if (!awareness) return;
    const update = () => setEntries(readPresence(awareness));
    update();
    awareness.on('change', update);
    return () => awareness.off('change', update);
  }, [awareness]);
  return entries;
}
