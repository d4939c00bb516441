// SYNC_* variables: defaults, parsing, and a clear error for a bad value (the server refuses to start).
import { describe, expect, it } from 'vitest';
import { DEFAULT_SYNC_OPTIONS, loadSyncOptions } from './sync-options.ts';

describe('loadSyncOptions', () => {
  it('uses the defaults when nothing is set, and ignores empty values', () => {
    expect(loadSyncOptions({})).toEqual(DEFAULT_SYNC_OPTIONS);
    expect(loadSyncOptions({ SYNC_PING_INTERVAL_MS: '' })).toEqual(DEFAULT_SYNC_OPTIONS);
  });

  it('reads each variable', () => {
    const options = loadSyncOptions({
      SYNC_ROOM_IDLE_MS: '1000',
      SYNC_COMPACT_THRESHOLD: '50',
      SYNC_MAX_CONNECTIONS_PER_USER: '3',
      SYNC_MESSAGES_PER_SECOND: '10',
      SYNC_MESSAGE_BURST: '20',
      SYNC_PING_INTERVAL_MS: '5000',
      SYNC_MAX_BUFFERED_BYTES: '1048576',
    });
    expect(options).toEqual({ roomIdleMs: 1000, compactThreshold: 50, maxConnectionsPerUser: 3, messagesPerSecond: 10, messageBurst: 20, pingIntervalMs: 5000, maxBufferedBytes: 1048576 });
  });

  it('names the variable and the problem when a value is not a positive whole number', () => {
    expect(() => loadSyncOptions({ SYNC_PING_INTERVAL_MS: '0' })).toThrow(/SYNC_PING_INTERVAL_MS: must be above 0/);
    expect(() => loadSyncOptions({ SYNC_PING_INTERVAL_MS: '30s' })).toThrow(/SYNC_PING_INTERVAL_MS: must be a whole number/);
    expect(() => loadSyncOptions({ SYNC_MAX_BUFFERED_BYTES: '1000' })).toThrow(/SYNC_MAX_BUFFERED_BYTES: must be at least 65536/);
  });
});
