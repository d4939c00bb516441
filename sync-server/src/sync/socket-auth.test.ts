// Sockets that ask in one event-loop turn share one statement, and each still gets its own verdict: role,
// not a member, a deleted project, an ended session, an inactive user, a bad or expired token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../db/database.ts';
import { signAccessToken } from '../auth/tokens.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { createUser, testConfig, type TestUser } from '../test/fixtures.ts';
import { SocketAuthenticator } from './socket-auth.ts';
import { createProject } from './test-sync-server.ts';

const config = testConfig();
let db: TestDatabase;
let statements = 0;
/** The test database's pool, counting the batch statements it runs (fragments are calls too: not counted). */
let sql: Sql;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let projectId: string;
let deletedProjectId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  sql = new Proxy(db.sql, {
    apply(target, thisArg, args: unknown[]) {
      if (Array.isArray(args[0]) && args[0].join('').includes('FROM unnest')) statements++;
      return Reflect.apply(target, thisArg, args);
    },
  });
  [alice, bob, carol] = await Promise.all([createUser({ sql: db.sql, config }), createUser({ sql: db.sql, config }), createUser({ sql: db.sql, config })]);
  projectId = await createProject(db, [[alice, 'ADMIN'], [bob, 'VIEWER']]);
  deletedProjectId = await createProject(db, [[alice, 'ADMIN']]);
  await db.sql`UPDATE projects SET deleted_at = now() WHERE id = ${deletedProjectId}`;
});
afterAll(() => db.close());

describe('SocketAuthenticator', () => {
  it('answers every socket of one turn from one statement, each with its own verdict', async () => {
    const ended = await createUser({ sql: db.sql, config });
    await db.sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${projectId}, ${ended.id}, 'MEMBER')`;
    await db.sql`UPDATE auth_sessions SET revoked_at = now() WHERE family_id = ${ended.sessionId}`;
    const inactive = await createUser({ sql: db.sql, config });
    await db.sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${projectId}, ${inactive.id}, 'MEMBER')`;
    await db.sql`UPDATE users SET is_active = false WHERE id = ${inactive.id}`;
    const expired = await signAccessToken(config.jwtSecret, { userId: alice.id, sessionId: alice.sessionId }, 60, Date.now() - 3_600_000);

    const auth = new SocketAuthenticator({ sql, config });
    const before = statements;
    const results = await Promise.all([
      auth.authenticate(alice.token, projectId),
      auth.authenticate(bob.token, projectId.toUpperCase()),
      auth.authenticate(carol.token, projectId),
      auth.authenticate(alice.token, deletedProjectId),
      auth.authenticate(alice.token, 'not-a-uuid'),
      auth.authenticate(ended.token, projectId),
      auth.authenticate(inactive.token, projectId),
      auth.authenticate(`${alice.token}x`, projectId),
      auth.authenticate(expired.token, projectId),
      auth.authenticate(alice.token, projectId),
    ]);
    expect(statements - before).toBe(1);
    const verdicts = results.map((r) => (r.ok ? { user: r.user.id, session: r.user.session_id, role: r.role } : r.reason));
    expect(verdicts).toEqual([
      { user: alice.id, session: alice.sessionId, role: 'ADMIN' },
      { user: bob.id, session: bob.sessionId, role: 'VIEWER' },
      { user: carol.id, session: carol.sessionId, role: null },
      { user: alice.id, session: alice.sessionId, role: null },
      { user: alice.id, session: alice.sessionId, role: null },
      'revoked',
      'revoked',
      'invalid',
      'expired',
      { user: alice.id, session: alice.sessionId, role: 'ADMIN' },
    ]);
    const first = results[0]!;
    expect(first.ok && first.user).toEqual({ id: alice.id, email: alice.email, full_name: alice.full_name, is_instance_admin: false, session_id: alice.sessionId });
  });

  it('a later turn gets a statement of its own and sees what changed in between', async () => {
    const auth = new SocketAuthenticator({ sql, config });
    const before = statements;
    const first = await auth.authenticate(bob.token, projectId);
    await db.sql`UPDATE project_members SET role = 'MEMBER' WHERE project_id = ${projectId} AND user_id = ${bob.id}`;
    const second = await auth.authenticate(bob.token, projectId);
    expect(statements - before).toBe(2);
    expect([first.ok && first.role, second.ok && second.role]).toEqual(['VIEWER', 'MEMBER']);
  });

  it('a failed statement fails every socket of its batch, and the next batch runs', async () => {
    let fail = true;
    const auth = new SocketAuthenticator({
      sql: new Proxy(db.sql, {
        apply(target, thisArg, args: unknown[]) {
          if (fail && Array.isArray(args[0]) && args[0].join('').includes('FROM unnest')) return Promise.reject(new Error('connection lost'));
          return Reflect.apply(target, thisArg, args);
        },
      }),
      config,
    });
    const results = await Promise.allSettled([auth.authenticate(alice.token, projectId), auth.authenticate(bob.token, projectId)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect((await auth.authenticate(alice.token, projectId)).ok).toBe(true);
  });
});
