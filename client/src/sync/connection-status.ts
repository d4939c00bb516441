// The sync indicator's state, computed from facts only: the connection, the number of local changes the
// server has not confirmed as durable (IndexedDB, shared by all tabs) and when the last save arrived.
// "saved" requires zero unconfirmed changes, so the indicator can never claim more than the server said.

export type SyncState = 'offline' | 'connecting' | 'syncing' | 'saved' | 'unsaved';
export type Connection = 'offline' | 'connecting' | 'handshake' | 'synced' | 'no-access' | 'waiting-registration';

/**
 * Why changes cannot be saved even though the connection works:
 *  - 'change-too-large': a single change (one Yjs item, e.g. a huge pasted text) is larger than the server
 *    accepts in one frame; it is kept locally and never sent (see frame-splitter.ts).
 *  - 'frame-refused': the server refused our frames as too large even at the smallest limit; syncing stopped.
 */
export type SyncProblem = 'change-too-large' | 'frame-refused';

export interface SyncStatus {
  state: SyncState;
  unsavedCount: number;
  lastSavedAt: number | null;
  problem?: SyncProblem;
}

export function syncProblemText(problem: SyncProblem): string {
  return problem === 'change-too-large'
    ? 'A change is too large for the server to accept; it is kept on this device only'
    : 'The server refuses this device’s changes as too large; syncing stopped';
}

/** How long sent changes may wait for the server's saved message before we call them "not saved yet". */
export const SAVE_GRACE_MS = 4000;

export function computeSyncState(input: {
  connection: Connection;
  unsavedCount: number;
  /** Last moment something was sent or the connection (re)synced (epoch ms). */
  lastActivityAt: number;
  now: number;
}): SyncState {
  const { connection, unsavedCount } = input;
  switch (connection) {
    case 'offline':
    case 'no-access':
      return 'offline';
    case 'waiting-registration':
      return unsavedCount > 0 ? 'unsaved' : 'saved';
    case 'connecting':
      return 'connecting';
    case 'handshake':
      return 'syncing';
    case 'synced':
      if (unsavedCount === 0) return 'saved';
      return input.now - input.lastActivityAt < SAVE_GRACE_MS ? 'syncing' : 'unsaved';
  }
}

/** Combines several projects' statuses into one (the header's global indicator). */
export function combineStatuses(statuses: SyncStatus[], totalUnsaved: number, online: boolean): SyncStatus {
  const order: SyncState[] = ['offline', 'unsaved', 'connecting', 'syncing', 'saved'];
  let state: SyncState = online ? (totalUnsaved > 0 ? 'unsaved' : 'saved') : 'offline';
  for (const s of statuses) if (order.indexOf(s.state) < order.indexOf(state)) state = s.state;
  if (state === 'saved' && totalUnsaved > 0) state = 'unsaved';
  const lastSavedAt = statuses.reduce<number | null>((max, s) => (s.lastSavedAt && (!max || s.lastSavedAt > max) ? s.lastSavedAt : max), null);
  const problem = statuses.find((s) => s.problem)?.problem;
  return { state, unsavedCount: totalUnsaved, lastSavedAt, ...(problem ? { problem } : {}) };
}
