// What a project session does when the server closes its socket, decided from the close code alone
// (shared/protocol.ts documents each code).
import { CloseCode, FATAL_CLOSE_CODES } from '../../../shared/protocol.ts';

export interface CloseDecision {
  reconnect: boolean;
  /** Get a different access token before the next attempt (the server refused this one). */
  refreshToken: boolean;
  /** Re-read my role (GET /api/projects/:id): it changed, or I may have lost access. */
  refreshRole: boolean;
  /** The server said I am not a member: show "no access" and stop. */
  noAccess: boolean;
  /**
   * The server refused a frame as too large (MessageTooLarge): its MAX_FRAME_BYTES is below what this client
   * assumed. Lower the frame limit (frame-splitter.ts FrameLimit.shrink) and reconnect; stop if it cannot go
   * lower. Frames are split below the limit, so this cannot resend the refused frame for ever.
   */
  shrinkFrames: boolean;
}

/** `authFailures`: Unauthenticated closes in a row, including this one. */
export function decideOnClose(code: number, authFailures: number): CloseDecision {
  const base = { reconnect: true, refreshToken: false, refreshRole: false, noAccess: false, shrinkFrames: false };
  switch (code) {
    case CloseCode.TokenExpired:
      return { ...base, refreshToken: true };
    case CloseCode.Unauthenticated:
      // One forced refresh may fix a token the server no longer accepts; after that, sign-in is needed.
      return { ...base, refreshToken: true, reconnect: authFailures <= 1 };
    case CloseCode.NotFound:
      return { ...base, reconnect: false, refreshRole: true, noAccess: true };
    case CloseCode.MessageTooLarge:
      return { ...base, shrinkFrames: true };
    case CloseCode.MembershipChanged:
      return { ...base, refreshRole: true };
    default:
      return { ...base, reconnect: !FATAL_CLOSE_CODES.includes(code) };
  }
}
