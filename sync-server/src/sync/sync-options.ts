// Tunables of the sync side. main.ts reads them from the environment (SYNC_*); tests pass them directly.
import { z } from 'zod';

export interface SyncOptions {
  /** Unload a room this long after its last connection leaves (once persisted). */
  roomIdleMs: number;
  /** Fold the log into a new snapshot when this many rows follow the snapshot. */
  compactThreshold: number;
  maxConnectionsPerUser: number;
  messagesPerSecond: number;
  messageBurst: number;
  /** Ping every connection this often; one that answered nothing since the previous ping is dropped. */
  pingIntervalMs: number;
  /**
   * Most bytes that may wait to be sent to one connection beyond its largest frame (sync/output-limit.ts);
   * past that the connection is closed with TooFarBehind and its client catches up by reconnecting.
   */
  maxBufferedBytes: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  roomIdleMs: 30_000,
  compactThreshold: 500,
  maxConnectionsPerUser: 20,
  messagesPerSecond: 100,
  messageBurst: 300,
  pingIntervalMs: 30_000,
  maxBufferedBytes: 16 * 1024 * 1024,
};

/** The smallest SYNC_MAX_BUFFERED_BYTES accepted: below it, an ordinary burst of relays would close readers. */
export const MIN_MAX_BUFFERED_BYTES = 64 * 1024;

const positiveInt = z.string().trim().regex(/^\d+$/, 'must be a whole number').transform(Number).refine((n) => n > 0, 'must be above 0');

const schema = z.object({
  SYNC_ROOM_IDLE_MS: positiveInt.optional(),
  SYNC_COMPACT_THRESHOLD: positiveInt.optional(),
  SYNC_MAX_CONNECTIONS_PER_USER: positiveInt.optional(),
  SYNC_MESSAGES_PER_SECOND: positiveInt.optional(),
  SYNC_MESSAGE_BURST: positiveInt.optional(),
  SYNC_PING_INTERVAL_MS: positiveInt.optional(),
  SYNC_MAX_BUFFERED_BYTES: positiveInt.refine((n) => n >= MIN_MAX_BUFFERED_BYTES, `must be at least ${MIN_MAX_BUFFERED_BYTES}`).optional(),
});

export function loadSyncOptions(env: Record<string, string | undefined>): SyncOptions {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('SYNC_') && v));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new Error(`Invalid sync configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const e = parsed.data;
  return {
    roomIdleMs: e.SYNC_ROOM_IDLE_MS ?? DEFAULT_SYNC_OPTIONS.roomIdleMs,
    compactThreshold: e.SYNC_COMPACT_THRESHOLD ?? DEFAULT_SYNC_OPTIONS.compactThreshold,
    maxConnectionsPerUser: e.SYNC_MAX_CONNECTIONS_PER_USER ?? DEFAULT_SYNC_OPTIONS.maxConnectionsPerUser,
    messagesPerSecond: e.SYNC_MESSAGES_PER_SECOND ?? DEFAULT_SYNC_OPTIONS.messagesPerSecond,
    messageBurst: e.SYNC_MESSAGE_BURST ?? DEFAULT_SYNC_OPTIONS.messageBurst,
    pingIntervalMs: e.SYNC_PING_INTERVAL_MS ?? DEFAULT_SYNC_OPTIONS.pingIntervalMs,
    maxBufferedBytes: e.SYNC_MAX_BUFFERED_BYTES ?? DEFAULT_SYNC_OPTIONS.maxBufferedBytes,
  };
}
