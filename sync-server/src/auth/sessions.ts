// Login sessions = refresh-token families in auth_sessions. One row per refresh token, stored as its SHA-256.
// Login starts a family whose absolute end (expires_at) is login + REFRESH_TOKEN_TTL; every rotation copies
// that end to the successor, so a family never outlives it however often it is refreshed. Presenting a token
// that was already rotated means it leaked (or two clients raced): the whole family is revoked.
// Times come from the injected clock (not SQL now()) so tests can move time, matching authenticate.ts.
import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/database.ts';
import { hashToken, newRefreshToken } from './tokens.ts';

export interface NewSession {
  familyId: string;
  refreshToken: string;
  /** Absolute end of the family, ms since epoch. */
  expiresAt: number;
}

export interface SessionMeta {
  userAgent?: string | undefined;
  ip?: string | undefined;
}

const ts = (ms: number) => new Date(ms);
/** Stored metadata is informational; cap it so a huge header cannot bloat the table. */
const cap = (s: string | undefined, n: number) => (s === undefined ? null : s.slice(0, n));

export async function startSession(sql: Sql, userId: string, ttlSeconds: number, nowMs: number, meta: SessionMeta = {}): Promise<NewSession> {
  const familyId = randomUUID();
  const refreshToken = newRefreshToken();
  const expiresAt = nowMs + ttlSeconds * 1000;
  await sql`
    INSERT INTO auth_sessions (user_id, family_id, token_hash, expires_at, user_agent, ip, created_at, updated_at)
    VALUES (${userId}, ${familyId}, ${hashToken(refreshToken)}, ${ts(expiresAt)}, ${cap(meta.userAgent, 512)}, ${cap(meta.ip, 64)},
            ${ts(nowMs)}, ${ts(nowMs)})`;
  return { familyId, refreshToken, expiresAt };
}

export type RotateResult =
  | { ok: true; userId: string; session: NewSession }
  /** unknown: no such token; ended: revoked, expired or the user is deactivated; reused: already rotated (family now revoked). */
  | { ok: false; reason: 'unknown' | 'ended' | 'reused'; userId?: string; familyId?: string };

/**
 * Exchanges a refresh token for its successor. Race-safe: the conditional UPDATE lets exactly one of several
 * concurrent presentations of the same token win; the others see it rotated and trigger reuse detection.
 */
export async function rotateRefreshToken(sql: Sql, token: string, nowMs: number, meta: SessionMeta = {}): Promise<RotateResult> {
  const tokenHash = hashToken(token);
  return sql.begin(async (tx) => {
    const [claimed] = await tx<{ user_id: string; family_id: string; expires_at: Date }[]>`
      UPDATE auth_sessions s SET rotated_at = ${ts(nowMs)}, updated_at = ${ts(nowMs)}
      WHERE s.token_hash = ${tokenHash} AND s.rotated_at IS NULL AND s.revoked_at IS NULL AND s.expires_at > ${ts(nowMs)}
        AND EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id AND u.is_active)
      RETURNING s.user_id, s.family_id, s.expires_at`;
    if (claimed) {
      const refreshToken = newRefreshToken();
      await tx`
        INSERT INTO auth_sessions (user_id, family_id, token_hash, expires_at, user_agent, ip, created_at, updated_at)
        VALUES (${claimed.user_id}, ${claimed.family_id}, ${hashToken(refreshToken)}, ${claimed.expires_at},
                ${cap(meta.userAgent, 512)}, ${cap(meta.ip, 64)}, ${ts(nowMs)}, ${ts(nowMs)})`;
      return {
        ok: true as const,
        userId: claimed.user_id,
        session: { familyId: claimed.family_id, refreshToken, expiresAt: claimed.expires_at.getTime() },
      };
    }
    const [row] = await tx<{ user_id: string; family_id: string; rotated_at: Date | null; revoked_at: Date | null }[]>`
      SELECT user_id, family_id, rotated_at, revoked_at FROM auth_sessions WHERE token_hash = ${tokenHash}`;
    if (!row) return { ok: false as const, reason: 'unknown' as const };
    if (row.rotated_at && !row.revoked_at) {
      await tx`
        UPDATE auth_sessions SET revoked_at = ${ts(nowMs)}, revoked_reason = 'refresh token reuse', updated_at = ${ts(nowMs)}
        WHERE family_id = ${row.family_id} AND revoked_at IS NULL`;
      return { ok: false as const, reason: 'reused' as const, userId: row.user_id, familyId: row.family_id };
    }
    return { ok: false as const, reason: 'ended' as const, userId: row.user_id, familyId: row.family_id };
  });
}

/** Ends one login session (every token of the family). Returns how many live rows it revoked. */
export async function revokeFamily(sql: Sql, familyId: string, reason: string, nowMs: number): Promise<number> {
  const rows = await sql`
    UPDATE auth_sessions SET revoked_at = ${ts(nowMs)}, revoked_reason = ${reason}, updated_at = ${ts(nowMs)}
    WHERE family_id = ${familyId} AND revoked_at IS NULL RETURNING id`;
  return rows.length;
}

/** The family a refresh token belongs to (rotated or not), for logout by refresh token. */
export async function findFamilyByToken(sql: Sql, token: string): Promise<{ userId: string; familyId: string } | null> {
  const [row] = await sql<{ user_id: string; family_id: string }[]>`
    SELECT user_id, family_id FROM auth_sessions WHERE token_hash = ${hashToken(token)}`;
  return row ? { userId: row.user_id, familyId: row.family_id } : null;
}

/** Ends every session of a user (deactivation). Returns the family ids that were live. */
export async function revokeAllSessions(sql: Sql, userId: string, reason: string, nowMs: number): Promise<string[]> {
  const rows = await sql<{ family_id: string }[]>`
    UPDATE auth_sessions SET revoked_at = ${ts(nowMs)}, revoked_reason = ${reason}, updated_at = ${ts(nowMs)}
    WHERE user_id = ${userId} AND revoked_at IS NULL RETURNING family_id`;
  return [...new Set(rows.map((r) => r.family_id))];
}

/**
 * Deletes rows of families that ended more than `graceSeconds` ago (expired, hence useless even for reuse
 * detection). Rotation adds a row per refresh, so without this the table only grows. Returns rows deleted.
 */
export async function purgeEndedSessions(sql: Sql, nowMs: number, graceSeconds = 24 * 3600): Promise<number> {
  const rows = await sql`DELETE FROM auth_sessions WHERE expires_at < ${ts(nowMs - graceSeconds * 1000)} RETURNING id`;
  return rows.length;
}
