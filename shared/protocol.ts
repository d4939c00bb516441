// The WebSocket wire contract between clients and the sync server. Third-party Yjs clients rely on it:
// change it only by adding, and bump PROTOCOL_VERSION when a message's meaning changes.
//
// Version history
//   1 (fieldboard.v1): y-websocket messages (sync, awareness, auth, query-awareness) plus SAVED (100).
//     Close codes renumbered before the first release so refusals sit in 4400-4499 (see CloseCode).

export const PROTOCOL_VERSION = 1;

/** Subprotocols the server may select. The client also offers `auth.<accessToken>`, which is never echoed. */
export const SUBPROTOCOL_FIELDBOARD = 'fieldboard.v1';
export const SUBPROTOCOL_YJS = 'y-websocket';
export const AUTH_SUBPROTOCOL_PREFIX = 'auth.';

/** Path prefix: `GET /sync/:projectId` upgrades to a WebSocket. */
export const SYNC_PATH_PREFIX = '/sync/';

/**
 * The server's default MAX_FRAME_BYTES (sync-server/src/config.ts): a WebSocket frame larger than this is
 * refused with CloseCode.MessageTooLarge. Clients split larger sync updates into several frames below it
 * (client/src/sync/frame-splitter.ts). MIN_MAX_FRAME_BYTES is the smallest value the server accepts.
 */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
export const MIN_MAX_FRAME_BYTES = 1024;

/** Message types: the first varUint of every frame. 0-3 are y-websocket's; 100+ are ours. */
export const MessageType = {
  /** y-protocols/sync: step 1 (state vector), step 2 (missing updates), update. */
  Sync: 0,
  /** y-protocols/awareness update. */
  Awareness: 1,
  /** y-protocols/auth: permission denied (followed by a reason string). */
  Auth: 2,
  /** Ask peers to resend their awareness state. */
  QueryAwareness: 3,
  /**
   * fieldboard.v1 only. Followed by a varUint8Array holding the persisted state vector
   * (Y.encodeStateVector format): every update whose clock is below that vector's entry for its client
   * is durable in PostgreSQL. Sent after each group commit that covered this connection's updates.
   */
  Saved: 100,
} as const;

/**
 * Close codes (4000-4999, application range). Refusals happen after the upgrade, because a browser cannot
 * read the HTTP status of a refused upgrade. Clients decide whether to retry from the code alone.
 *
 * Numbering follows the convention stock y-websocket (3.x) applies by default: 4400-4499 mirror HTTP 4xx
 * and mean "reconnecting cannot fix this" (the provider stops and emits `closed`); every other code is
 * transient (4500-4599 mirror HTTP 5xx). So a third-party Yjs client stops on a refusal instead of
 * hammering the server, and retries after a server-side failure. Our own client refreshes its token on
 * TokenExpired and reconnects (see client/src/sync/close-policy.ts).
 */
export const CloseCode = {
  /** No token, or a token that does not verify. Do not retry with the same token; sign in again. */
  Unauthenticated: 4401,
  /** The access token expired (or expired while connected). Refresh it, then reconnect with the new one. */
  TokenExpired: 4402,
  /** The Origin header is not this server's origin nor in ALLOWED_ORIGINS. */
  OriginNotAllowed: 4403,
  /** Not a member of the project, or no such project. One code for both, so existence does not leak. */
  NotFound: 4404,
  /** A frame that is not a valid protocol message. Retry is pointless without a client fix. */
  MalformedMessage: 4400,
  /** A frame larger than the server's limit (MAX_FRAME_BYTES). */
  MessageTooLarge: 4413,
  /** Too many messages per second on this connection, or too many connections for this user. */
  RateLimited: 4429,
  /** The member's role changed or they were removed: reconnect to pick up the new role (or get NotFound). */
  MembershipChanged: 4005,
  /** The server failed (for example the document could not be loaded). Retry with backoff. */
  ServerError: 4500,
  /** The server is shutting down. Reconnect (to another instance) with backoff. */
  ServerShutdown: 4503,
  /**
   * This connection read more slowly than its room changed: what waited to be sent to it passed the server's
   * limit (SYNC_MAX_BUFFERED_BYTES beyond its largest frame). Reconnect: the handshake then sends what the
   * client lacks in one compact step 2 instead of every relay queued behind.
   */
  TooFarBehind: 4509,
} as const;
export type CloseCodeName = keyof typeof CloseCode;

/** Codes after which a client should refresh its token before reconnecting. */
export const REFRESH_AND_RETRY_CODES: readonly number[] = [CloseCode.TokenExpired];
/** Codes after which reconnecting cannot help until something else changes. */
export const FATAL_CLOSE_CODES: readonly number[] = [
  CloseCode.Unauthenticated,
  CloseCode.NotFound,
  CloseCode.MalformedMessage,
  CloseCode.MessageTooLarge,
  CloseCode.OriginNotAllowed,
];

export function closeCodeName(code: number): CloseCodeName | undefined {
  return (Object.keys(CloseCode) as CloseCodeName[]).find((name) => CloseCode[name] === code);
}
