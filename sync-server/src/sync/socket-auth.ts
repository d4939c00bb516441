// Who opens a sync socket, and their role in its project. The token is verified at once (no I/O); the session
// check and the role (authenticateAccessToken's check plus projectRoleSql) are read for every socket that asks
// in the same event-loop turn with one statement. A burst of upgrades (1,000 sockets opened at once) is then a
// few dozen round trips instead of one per socket: postgres.js spends ~0.1-0.2 ms of CPU on each statement
// (building its Bind, parsing the reply, settling its promise), which was the largest cost of ours left in a
// socket's connect after the ws handshake.
import type { Role } from '../../../shared/roles.ts';
import { isUuid, sessionOfUserLive, verifyAccessClaims, type AuthResult } from '../auth/authenticate.ts';
import type { Sql } from '../db/database.ts';
import { projectRoleSql } from '../projects/membership.ts';

/** An authenticated socket carries its role in the project (null: not a member, or no such project). */
export type SocketAuthResult = (Extract<AuthResult, { ok: true }> & { role: Role | null }) | Extract<AuthResult, { ok: false }>;

interface Waiting {
  userId: string;
  sessionId: string;
  nowMs: number;
  expiresAt: number;
  /** Null for an id that is not a UUID (no project can have it). */
  projectId: string | null;
  resolve: (result: SocketAuthResult) => void;
  reject: (error: unknown) => void;
}

interface Row {
  i: number;
  id: string;
  email: string;
  full_name: string;
  is_instance_admin: boolean;
  is_active: boolean;
  session_live: boolean;
  role: Role | null;
}

export class SocketAuthenticator {
  private waiting: Waiting[] = [];

  constructor(private readonly deps: { sql: Sql; config: { jwtSecret: Uint8Array }; now?: () => number }) {}

  async authenticate(token: string, projectId: string): Promise<SocketAuthResult> {
    const verified = await verifyAccessClaims(this.deps, token);
    if (!verified.ok) return verified;
    const { sub, sid, exp } = verified.claims;
    return new Promise((resolve, reject) => {
      // setImmediate runs after the I/O callbacks of this turn: every upgrade parsed in it joins the batch.
      if (this.waiting.length === 0) setImmediate(this.flush);
      this.waiting.push({ userId: sub, sessionId: sid, nowMs: verified.nowMs, expiresAt: exp, projectId: isUuid(projectId) ? projectId : null, resolve, reject });
    });
  }

  private readonly flush = () => {
    const batch = this.waiting;
    this.waiting = [];
    this.read(batch).then(
      (rows) => {
        const byIndex = new Map(rows.map((r) => [r.i, r]));
        batch.forEach((w, i) => {
          const row = byIndex.get(i);
          if (!row || !row.is_active || !row.session_live) return w.resolve({ ok: false, reason: 'revoked' });
          w.resolve({
            ok: true,
            expiresAt: w.expiresAt,
            role: row.role,
            user: { id: row.id, email: row.email, full_name: row.full_name, is_instance_admin: row.is_instance_admin, session_id: w.sessionId },
          });
        });
      },
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    );
  };

  /**
   * Runs from setImmediate, never from a connection's own code: postgres.js keeps the first Error made at each
   * query call site (its origin cache, stack not yet formatted), and a stack through a connection's closures
   * would pin that connection's context (room, document, socket) for the life of the process.
   */
  private read(batch: Waiting[]): Promise<Row[]> {
    const { sql } = this.deps;
    return sql<Row[]>`
      SELECT r.i, u.id, u.email, u.full_name, u.is_instance_admin, u.is_active,
             ${projectRoleSql(sql, sql`r.project_id`, sql`u.id`)} AS role,
             ${sessionOfUserLive(sql, sql`r.session_id`, sql`r.now_s`)} AS session_live
      FROM unnest(${batch.map((_, i) => i)}::int[], ${batch.map((w) => w.userId)}::uuid[], ${batch.map((w) => w.sessionId)}::uuid[],
                  ${batch.map((w) => w.projectId)}::uuid[], ${batch.map((w) => w.nowMs / 1000)}::float8[])
             AS r(i, user_id, session_id, project_id, now_s)
      JOIN users u ON u.id = r.user_id`;
  }
}
