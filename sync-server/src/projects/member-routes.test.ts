import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/roles.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../test/fixtures.ts';

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { full_name: 'Ada Admin' });
});
afterAll(() => t.close());

async function newProject(owner = admin): Promise<string> {
  const res = await t.call('POST', '/api/projects', { token: owner.token, body: { name: 'Team' } });
  return res.json.data.id as string;
}

async function join(projectId: string, role: Role, user?: TestUser): Promise<TestUser> {
  const member = user ?? (await createUser(t));
  await t.sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${projectId}, ${member.id}, ${role})`;
  return member;
}

async function adminCount(projectId: string): Promise<number> {
  const [row] = await t.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM project_members WHERE project_id = ${projectId} AND role = 'ADMIN'`;
  return row!.n;
}

/** Records membership events together with the role the database holds when the event fires. */
function recordEvents() {
  const seen: Promise<{ projectId: string; userId: string; role: string | null; stored: string | null }>[] = [];
  const listener = (e: { projectId: string; userId: string; role: string | null }) => {
    seen.push(
      t.sql<{ role: string }[]>`SELECT role FROM project_members WHERE project_id = ${e.projectId} AND user_id = ${e.userId}`.then((rows) => ({
        ...e,
        stored: rows[0]?.role ?? null,
      })),
    );
  };
  t.deps.events.on('membership-changed', listener);
  return {
    async stop() {
      t.deps.events.off('membership-changed', listener);
      return Promise.all(seen);
    },
  };
}

describe('GET /api/projects/:id/members', () => {
  it('lists members for any member, 404 for others', async () => {
    const id = await newProject();
    const viewer = await join(id, 'VIEWER');
    const res = await t.call('GET', `/api/projects/${id}/members`, { token: viewer.token });
    expect(res.status).toBe(200);
    expect(res.json.data.map((m: { user_id: string; role: string }) => [m.user_id, m.role])).toEqual([
      [admin.id, 'ADMIN'],
      [viewer.id, 'VIEWER'],
    ]);
    expect(res.json.data[0]).toEqual({ user_id: admin.id, email: admin.email, full_name: 'Ada Admin', role: 'ADMIN', joined_at: expect.any(String) });
    const outsider = await createUser(t);
    expect((await t.call('GET', `/api/projects/${id}/members`, { token: outsider.token })).status).toBe(404);
    expect((await t.call('GET', '/api/projects/nope/members', { token: admin.token })).status).toBe(404);
  });
});

describe('POST /api/projects/:id/members', () => {
  it('adds by email (any case) or by user_id, emitting membership-changed after commit', async () => {
    const id = await newProject();
    const byEmail = await createUser(t, { email: `Mixed.Case-${randomUUID().slice(0, 6)}@Example.com` });
    const byId = await createUser(t);
    const events = recordEvents();
    const a = await t.call('POST', `/api/projects/${id}/members`, { token: admin.token, body: { email: byEmail.email.toUpperCase(), role: 'MANAGER' } });
    expect(a.status).toBe(201);
    expect(a.json.data).toMatchObject({ user_id: byEmail.id, email: byEmail.email, role: 'MANAGER' });
    const b = await t.call('POST', `/api/projects/${id}/members`, { token: admin.token, body: { user_id: byId.id } });
    expect(b.status).toBe(201);
    expect(b.json.data.role).toBe('MEMBER');
    expect(await events.stop()).toEqual([
      { projectId: id, userId: byEmail.id, role: 'MANAGER', stored: 'MANAGER' },
      { projectId: id, userId: byId.id, role: 'MEMBER', stored: 'MEMBER' },
    ]);
  });

  it('answers 404 with a clear message for an unknown or deactivated user', async () => {
    const id = await newProject();
    const unknown = await t.call('POST', `/api/projects/${id}/members`, { token: admin.token, body: { email: 'nobody@example.com', role: 'MEMBER' } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toBe('No user with email nobody@example.com; they need to register before they can be added');
    expect((await t.call('POST', `/api/projects/${id}/members`, { token: admin.token, body: { user_id: randomUUID() } })).status).toBe(404);
    const inactive = await createUser(t);
    await t.sql`UPDATE users SET is_active = false WHERE id = ${inactive.id}`;
    expect((await t.call('POST', `/api/projects/${id}/members`, { token: admin.token, body: { user_id: inactive.id } })).status).toBe(404);
  });

  it('answers 409 when the user is already a member, also when two adds race', async () => {
    const id = await newProject();
    const existing = await join(id, 'VIEWER');
    const dup = await t.call('POST', `/api/projects/${id}/members`, { token: admin.token, body: { user_id: existing.id, role: 'ADMIN' } });
    expect(dup.status).toBe(409);
    expect(dup.json.error.message).toBe('That user is already a member of this project');
    const racer = await createUser(t);
    const both = await Promise.all(
      [1, 2].map(() => t.call('POST', `/api/projects/${id}/members`, { token: admin.token, body: { user_id: racer.id, role: 'MEMBER' } })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it.each([
    [{ role: 'MEMBER' }, 'email'],
    [{ email: 'a@example.com', user_id: randomUUID(), role: 'MEMBER' }, 'email'],
    [{ email: 'not-an-email', role: 'MEMBER' }, 'email'],
    [{ user_id: 'not-a-uuid', role: 'MEMBER' }, 'user_id'],
    [{ email: 'a@example.com', role: 'OWNER' }, 'role'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const id = await newProject();
    const res = await t.call('POST', `/api/projects/${id}/members`, { token: admin.token, body });
    expect(res.status).toBe(400);
    expect(res.json.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });
});

describe('PATCH /api/projects/:id/members/:userId', () => {
  it('changes the role and emits membership-changed', async () => {
    const id = await newProject();
    const m = await join(id, 'MEMBER');
    const events = recordEvents();
    const res = await t.call('PATCH', `/api/projects/${id}/members/${m.id}`, { token: admin.token, body: { role: 'MANAGER' } });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ user_id: m.id, role: 'MANAGER' });
    // Setting the same role again is a no-op: 200, no event.
    expect((await t.call('PATCH', `/api/projects/${id}/members/${m.id}`, { token: admin.token, body: { role: 'MANAGER' } })).status).toBe(200);
    expect(await events.stop()).toEqual([{ projectId: id, userId: m.id, role: 'MANAGER', stored: 'MANAGER' }]);
  });

  it('answers 404 for a user who is not a member (or a non-UUID) and 400 for a bad role', async () => {
    const id = await newProject();
    const outsider = await createUser(t);
    const res = await t.call('PATCH', `/api/projects/${id}/members/${outsider.id}`, { token: admin.token, body: { role: 'MEMBER' } });
    expect(res.status).toBe(404);
    expect(res.json.error.message).toBe('That user is not a member of this project');
    expect((await t.call('PATCH', `/api/projects/${id}/members/xyz`, { token: admin.token, body: { role: 'MEMBER' } })).status).toBe(404);
    const m = await join(id, 'MEMBER');
    const bad = await t.call('PATCH', `/api/projects/${id}/members/${m.id}`, { token: admin.token, body: { role: 'BOSS' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].field).toBe('role');
  });

  it('refuses to demote the last ADMIN with 409', async () => {
    const id = await newProject();
    const res = await t.call('PATCH', `/api/projects/${id}/members/${admin.id}`, { token: admin.token, body: { role: 'MANAGER' } });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toBe('The last ADMIN cannot be demoted: a project must keep at least one ADMIN. Make another member ADMIN first.');
    expect(await adminCount(id)).toBe(1);
  });

  it('lets an ADMIN step down once another ADMIN exists', async () => {
    const id = await newProject();
    const other = await join(id, 'ADMIN');
    const res = await t.call('PATCH', `/api/projects/${id}/members/${admin.id}`, { token: admin.token, body: { role: 'MEMBER' } });
    expect(res.status).toBe(200);
    expect(await adminCount(id)).toBe(1);
    const stuck = await t.call('PATCH', `/api/projects/${id}/members/${other.id}`, { token: other.token, body: { role: 'VIEWER' } });
    expect(stuck.status).toBe(409);
  });

  it('keeps one ADMIN when two ADMINs demote each other at the same time', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await newProject();
      const other = await join(id, 'ADMIN');
      const results = await Promise.all([
        t.call('PATCH', `/api/projects/${id}/members/${other.id}`, { token: admin.token, body: { role: 'MEMBER' } }),
        t.call('PATCH', `/api/projects/${id}/members/${admin.id}`, { token: other.token, body: { role: 'MEMBER' } }),
      ]);
      // The loser was demoted first, so it no longer may manage anyone: 403.
      expect(results.map((r) => r.status).sort()).toEqual([200, 403]);
      expect(await adminCount(id)).toBe(1);
    }
  });
});

describe('DELETE /api/projects/:id/members/:userId', () => {
  it('removes a member and emits membership-changed with role null', async () => {
    const id = await newProject();
    const m = await join(id, 'VIEWER');
    const events = recordEvents();
    const res = await t.call('DELETE', `/api/projects/${id}/members/${m.id}`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true, data: { user_id: m.id }, message: 'Member removed' });
    expect(await events.stop()).toEqual([{ projectId: id, userId: m.id, role: null, stored: null }]);
    expect((await t.call('GET', `/api/projects/${id}`, { token: m.token })).status).toBe(404);
  });

  it('answers 404 for someone who is not a member', async () => {
    const id = await newProject();
    const outsider = await createUser(t);
    expect((await t.call('DELETE', `/api/projects/${id}/members/${outsider.id}`, { token: admin.token })).status).toBe(404);
  });

  it('lets any member leave, but not the last ADMIN (409), and emits nothing on refusal', async () => {
    const id = await newProject();
    const viewer = await join(id, 'VIEWER');
    const left = await t.call('DELETE', `/api/projects/${id}/members/${viewer.id}`, { token: viewer.token });
    expect(left.status).toBe(200);
    expect(left.json.message).toBe('You left the project');
    const events = recordEvents();
    const res = await t.call('DELETE', `/api/projects/${id}/members/${admin.id}`, { token: admin.token });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toBe('You are the last ADMIN and cannot leave: a project must keep at least one ADMIN. Make another member ADMIN first.');
    expect(await events.stop()).toEqual([]);
    expect(await adminCount(id)).toBe(1);
  });

  it('keeps one ADMIN when the only two ADMINs leave at the same time', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await newProject();
      const other = await join(id, 'ADMIN');
      const results = await Promise.all([
        t.call('DELETE', `/api/projects/${id}/members/${admin.id}`, { token: admin.token }),
        t.call('DELETE', `/api/projects/${id}/members/${other.id}`, { token: other.token }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(await adminCount(id)).toBe(1);
    }
  });
});
