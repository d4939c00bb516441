// Access token -> AuthUser, with a live database check so that logout and deactivation take effect on the
// very next request (REST) or connection (WebSocket), not when the token expires.
import type postgres from 'postgres';
import type { Sql } from '../db/database.ts';
import type { AuthUser } from '../http/context.ts';
import { verifyAccessToken, type AccessClaims } from './tokens.ts';

export type AuthResult =
  | { ok: true; user: AuthUser; expiresAt: number }
  | { ok: false; reason: 'invalid' | 'expired' | 'revoked' };

/** Sync sockets are checked in batches with their project role: sync/socket-auth.ts. */
export async function authenticateAccessToken(
  deps: { sql: Sql; config: { jwtSecret: Uint8Array }; now?: () => number },
  token: string,
): Promise<AuthResult> {
  const verified = await verifyAccessClaims(deps, token);
  if (!verified.ok) return verified;
  const { nowMs } = verified;
  const { sub, sid } = verified.claims;
  const rows = await deps.sql<
    { id: string; email: string; full_name: string; is_instance_admin: boolean; is_active: boolean; session_live: boolean }[]
  >`
    SELECT u.id, u.email, u.full_name, u.is_instance_admin, u.is_active,
           ${sessionOfUserLive(deps.sql, sid, nowMs / 1000)} AS session_live
    FROM users u WHERE u.id = ${sub}`;
  const row = rows[0];
  if (!row || !row.is_active || !row.session_live) return { ok: false, reason: 'revoked' };
  return {
    ok: true,
    expiresAt: verified.claims.exp,
    user: { id: row.id, email: row.email, full_name: row.full_name, is_instance_admin: row.is_instance_admin, session_id: sid },
  };
}

/** The token's signature, expiry and claims, without the database: what every request checks first. */
export async function verifyAccessClaims(
  deps: { config: { jwtSecret: Uint8Array }; now?: () => number },
  token: string,
): Promise<{ ok: true; claims: AccessClaims; nowMs: number } | { ok: false; reason: 'invalid' | 'expired' }> {
  const nowMs = deps.now ? deps.now() : Date.now();
  const verified = verifyAccessToken(deps.config.jwtSecret, token, nowMs);
  if (!verified.ok) return verified;
  if (!isUuid(verified.claims.sub) || !isUuid(verified.claims.sid)) return { ok: false, reason: 'invalid' };
  return { ok: true, claims: verified.claims, nowMs };
}

/**
 * Whether login session `sessionId` of the user row `u` is live at `nowSeconds` (a scalar over `u`). Either
 * argument may be a fragment naming a column (a batch of sessions checked in one statement).
 */
export function sessionOfUserLive(sql: Sql, sessionId: string | postgres.Fragment, nowSeconds: number | postgres.Fragment) {
  return sql`EXISTS (
    SELECT 1 FROM auth_sessions s
    WHERE s.family_id = ${sessionId} AND s.user_id = u.id AND s.revoked_at IS NULL
      AND s.expires_at > to_timestamp(${nowSeconds}))`;
}

/**
 * authenticateAccessToken's database check as a boolean scalar, for a statement that does its own work in the
 * same round trip (the task list): true when the user exists, is active and the session is live. Both ids
 * come from verifyAccessClaims (UUIDs).
 */
export function sessionLiveSql(sql: Sql, session: { userId: string; sessionId: string; nowMs: number }) {
  return sql`EXISTS (SELECT 1 FROM users u WHERE u.id = ${session.userId} AND u.is_active
    AND ${sessionOfUserLive(sql, session.sessionId, session.nowMs / 1000)})`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}
