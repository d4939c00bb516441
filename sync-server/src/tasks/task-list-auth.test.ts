// GET /api/projects/{id}/tasks checks the session in its own statement (requireToken + listTasks), not in
// requireAuth's separate query. Every refusal must stay what requireAuth gave: 401 with the same reason
// before validation errors and before any hint about the project, then 404 for non-members.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '../auth/tokens.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../test/fixtures.ts';

let t: TestApp;
let projectId: string;
let member: TestUser;
let viewer: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  [member, viewer, stranger] = [await createUser(t), await createUser(t), await createUser(t)];
  projectId = randomUUID();
  await t.sql`INSERT INTO projects (id, name, created_by) VALUES (${projectId}, 'Auth', ${member.id})`;
  await t.sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${projectId}, ${member.id}, 'ADMIN'), (${projectId}, ${viewer.id}, 'VIEWER')`;
  await t.sql`INSERT INTO tasks (id, project_id, title, status, priority) VALUES (${randomUUID()}, ${projectId}, 'One', 'TODO', 'LOW')`;
});
afterAll(() => t.close());

const list = (token: string | undefined, query = '', project = projectId) =>
  t.call('GET', `/api/projects/${project}/tasks${query}`, token ? { token } : {});

describe('GET /projects/{id}/tasks: who may read', () => {
  it('members of any role read; strangers, unknown and malformed projects get the same 404', async () => {
    for (const user of [member, viewer]) {
      const res = await list(user.token);
      expect(res.status).toBe(200);
      expect(res.json.data.map((x: { title: string }) => x.title)).toEqual(['One']);
    }
    for (const project of [projectId, randomUUID(), 'not-a-uuid']) {
      const res = await list(stranger.token, '', project);
      expect({ project, status: res.status, body: res.json }).toEqual({
        project,
        status: 404,
        body: { success: false, error: { code: 'NOT_FOUND', message: 'Project not found' } },
      });
    }
  });

  it('validation errors for a live session, whatever the project', async () => {
    for (const user of [member, stranger]) {
      const res = await list(user.token, '?per_page=1000');
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('VALIDATION_ERROR');
    }
  });

  it('401 without a token, with a bad or expired one, before validation', async () => {
    expect((await list(undefined)).json.error.message).toMatch(/^Missing bearer token/);
    const bad = await list('not-a-jwt', '?per_page=1000');
    expect([bad.status, bad.json.error.details]).toEqual([401, { reason: 'invalid' }]);
    const { token: expired } = await signAccessToken(t.config.jwtSecret, { userId: member.id, sessionId: member.sessionId }, -10);
    const old = await list(expired, '?per_page=1000');
    expect([old.status, old.json.error.details]).toEqual([401, { reason: 'expired' }]);
  });

  it('401 revoked for an ended session or a deactivated account: valid or invalid query, member or not', async () => {
    const ended = await createUser(t);
    const deactivated = await createUser(t);
    await t.sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${projectId}, ${ended.id}, 'MEMBER'), (${projectId}, ${deactivated.id}, 'MEMBER')`;
    expect((await list(ended.token)).status).toBe(200);
    await t.sql`UPDATE auth_sessions SET revoked_at = now() WHERE family_id = ${ended.sessionId}`;
    await t.sql`UPDATE users SET is_active = false WHERE id = ${deactivated.id}`;
    const endedStranger = await createUser(t);
    await t.sql`UPDATE auth_sessions SET revoked_at = now() WHERE family_id = ${endedStranger.sessionId}`;
    for (const user of [ended, deactivated, endedStranger]) {
      for (const [query, project] of [['', projectId], ['?search=one', projectId], ['?per_page=1000', projectId], ['', randomUUID()], ['', 'not-a-uuid']]) {
        const res = await list(user.token, query, project);
        expect({ query, project, status: res.status, body: res.json }).toEqual({
          query,
          project,
          status: 401,
          body: {
            success: false,
            error: { code: 'UNAUTHORIZED', message: 'Session ended (signed out, or the account is deactivated); sign in again', details: { reason: 'revoked' } },
          },
        });
      }
    }
  });
});
