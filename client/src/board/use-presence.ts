// Presence helpers over the sync layer's awareness entries: who else is here, and who has which task open.
import type { PresenceEntry } from '../sync/project-session.ts';

/** Other people on the board, one entry per person even when they have several tabs open. */
export function otherPeople(entries: readonly PresenceEntry[], selfUserId: string | null): PresenceEntry[] {
  const seen = new Map<string, PresenceEntry>();
  for (const entry of entries) {
    if (entry.isSelf || entry.user.id === selfUserId || seen.has(entry.user.id)) continue;
    seen.set(entry.user.id, entry);
  }
  return [...seen.values()];
}

/** Task id -> names of the other people who have it open. */
export function viewersByTask(entries: readonly PresenceEntry[], selfUserId: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const entry of entries) {
    if (entry.isSelf || entry.user.id === selfUserId || !entry.openTaskId) continue;
    const names = map.get(entry.openTaskId) ?? [];
    if (!names.includes(entry.user.name)) names.push(entry.user.name);
    map.set(entry.openTaskId, names);
  }
  return map;
}
