// Access token -> AuthUser, with a live database check so that logout and deactivation take effect on the
// very next request (REST) or connection (WebSocket), not when the token expires.
import type { Sql } from '../db/database.ts';
import type { AuthUser } from '../http/context.ts';
import { verifyAccessToken } from './tokens.ts';

export type AuthResult =
  | { ok: true; user: AuthUser; expiresAt: number }
  | { ok: false; reason: 'invalid' | 'expired' | 'revoked' };

export async function authenticateAccessToken(
  deps: { sql: Sql; config: { jwtSecret: Uint8Array }; now?: () => number },
  token: string,
): Promise<AuthResult> {
  const nowMs = deps.now ? deps.now() : Date.now();
  const verified = await verifyAccessToken(deps.config.jwtSecret, token, nowMs);
  if (!verified.ok) return verified;
  const { sub, sid } = verified.claims;
  if (!isUuid(sub) || !isUuid(sid)) return { ok: false, reason: 'invalid' };
  const rows = await deps.sql<
    { id: string; email: string; full_name: string; is_instance_admin: boolean; is_active: boolean; session_live: boolean }[]
  >`
    SELECT u.id, u.email, u.full_name, u.is_instance_admin, u.is_active,
           EXISTS (
             SELECT 1 FROM auth_sessions s
             WHERE s.family_id = ${sid} AND s.user_id = u.id AND s.revoked_at IS NULL
               AND s.expires_at > to_timestamp(${nowMs / 1000})
           ) AS session_live
    FROM users u WHERE u.id = ${sub}`;
  const row = rows[0];
  if (!row || !row.is_active || !row.session_live) return { ok: false, reason: 'revoked' };
  return {
    ok: true,
    expiresAt: verified.claims.exp,
    user: { id: row.id, email: row.email, full_name: row.full_name, is_instance_admin: row.is_instance_admin, session_id: sid },
  };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}
