import { describe, expect, it } from 'vitest';
import { combineStatuses, computeSyncState, SAVE_GRACE_MS } from './connection-status.ts';

describe('sync state', () => {
  const now = 1_000_000;
  it('says saved only when connected, synced and nothing is unconfirmed', () => {
    expect(computeSyncState({ connection: 'synced', unsavedCount: 0, lastActivityAt: now, now })).toBe('saved');
    expect(computeSyncState({ connection: 'synced', unsavedCount: 1, lastActivityAt: now, now })).toBe('syncing');
    expect(computeSyncState({ connection: 'handshake', unsavedCount: 0, lastActivityAt: now, now })).toBe('syncing');
    expect(computeSyncState({ connection: 'offline', unsavedCount: 0, lastActivityAt: now, now })).toBe('offline');
    expect(computeSyncState({ connection: 'connecting', unsavedCount: 3, lastActivityAt: now, now })).toBe('connecting');
  });

  it('turns "syncing" into "not saved yet" when the server does not confirm within the grace period', () => {
    expect(computeSyncState({ connection: 'synced', unsavedCount: 2, lastActivityAt: now - SAVE_GRACE_MS - 1, now })).toBe('unsaved');
  });

  it('an offline-created project waiting for registration is unsaved, not saved', () => {
    expect(computeSyncState({ connection: 'waiting-registration', unsavedCount: 1, lastActivityAt: now, now })).toBe('unsaved');
  });

  it('the global status is the worst of the open projects and counts every unsaved change', () => {
    const saved = { state: 'saved' as const, unsavedCount: 0, lastSavedAt: 5 };
    const offline = { state: 'offline' as const, unsavedCount: 2, lastSavedAt: 9 };
    expect(combineStatuses([saved, offline], 2, true)).toEqual({ state: 'offline', unsavedCount: 2, lastSavedAt: 9 });
    expect(combineStatuses([saved], 0, true).state).toBe('saved');
    // Unsaved changes in a project that is not open keep "All changes saved" from showing.
    expect(combineStatuses([saved], 3, true).state).toBe('unsaved');
    expect(combineStatuses([], 0, false).state).toBe('offline');
  });
});
