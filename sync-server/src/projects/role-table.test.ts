// The role table exercised over REST for every role and every project/member action. The expectations are
// written out here by hand, NOT computed with can()/canChangeMember(): a wrong cell in shared/roles.ts must
// make this test fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../shared/roles.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../test/fixtures.ts';

type Expect = {
  read: number;
  listMembers: number;
  update: number;
  delete: number;
  /** Adding a new member with the given role. */
  add: Record<Role, number>;
  /** Removing a member who has the given role. */
  remove: Record<Role, number>;
  /** Re-roles this actor may make, as 'FROM>TO'; every other change must be 403. */
  reRoleAllowed: string[];
  leave: number;
};

const ALL_PAIRS = ROLES.flatMap((from) => ROLES.filter((to) => to !== from).map((to) => `${from}>${to}`));

const EXPECTED: Record<Role, Expect> = {
  ADMIN: {
    read: 200,
    listMembers: 200,
    update: 200,
    delete: 200,
    add: { ADMIN: 201, MANAGER: 201, MEMBER: 201, VIEWER: 201 },
    remove: { ADMIN: 200, MANAGER: 200, MEMBER: 200, VIEWER: 200 },
    reRoleAllowed: [
      'ADMIN>MANAGER', 'ADMIN>MEMBER', 'ADMIN>VIEWER',
      'MANAGER>ADMIN', 'MANAGER>MEMBER', 'MANAGER>VIEWER',
      'MEMBER>ADMIN', 'MEMBER>MANAGER', 'MEMBER>VIEWER',
      'VIEWER>ADMIN', 'VIEWER>MANAGER', 'VIEWER>MEMBER',
    ],
    leave: 200,
  },
  MANAGER: {
    read: 200,
    listMembers: 200,
    update: 200,
    delete: 403,
    add: { ADMIN: 403, MANAGER: 403, MEMBER: 201, VIEWER: 201 },
    remove: { ADMIN: 403, MANAGER: 403, MEMBER: 200, VIEWER: 200 },
    reRoleAllowed: ['MEMBER>VIEWER', 'VIEWER>MEMBER'],
    leave: 200,
  },
  MEMBER: {
    read: 200,
    listMembers: 200,
    update: 403,
    delete: 403,
    add: { ADMIN: 403, MANAGER: 403, MEMBER: 403, VIEWER: 403 },
    remove: { ADMIN: 403, MANAGER: 403, MEMBER: 403, VIEWER: 403 },
    reRoleAllowed: [],
    leave: 200,
  },
  VIEWER: {
    read: 200,
    listMembers: 200,
    update: 403,
    delete: 403,
    add: { ADMIN: 403, MANAGER: 403, MEMBER: 403, VIEWER: 403 },
    remove: { ADMIN: 403, MANAGER: 403, MEMBER: 403, VIEWER: 403 },
    reRoleAllowed: [],
    leave: 200,
  },
};

let t: TestApp;
let owner: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  owner = await createUser(t, { full_name: 'Owner' });
});
afterAll(() => t.close());

/** A project owned by `owner` (an ADMIN who stays, so no last-ADMIN rule interferes) with `actor` as `role`. */
async function projectWith(actor: TestUser, role: Role): Promise<string> {
  const res = await t.call('POST', '/api/projects', { token: owner.token, body: { name: `Role ${role}` } });
  const id = res.json.data.id as string;
  await t.sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${id}, ${actor.id}, ${role})`;
  return id;
}

async function memberWith(projectId: string, role: Role): Promise<TestUser> {
  const user = await createUser(t);
  await t.sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${projectId}, ${user.id}, ${role})`;
  return user;
}

async function roleOf(projectId: string, userId: string): Promise<Role | null> {
  const [row] = await t.sql<{ role: Role }[]>`SELECT role FROM project_members WHERE project_id = ${projectId} AND user_id = ${userId}`;
  return row?.role ?? null;
}

describe.each(ROLES)('as %s', (role) => {
  const expected = EXPECTED[role];
  let actor: TestUser;
  let projectId: string;

  beforeAll(async () => {
    actor = await createUser(t, { full_name: `Actor ${role}` });
    projectId = await projectWith(actor, role);
  });

  it(`reads the project (${expected.read})`, async () => {
    const res = await t.call('GET', `/api/projects/${projectId}`, { token: actor.token });
    expect(res.status).toBe(expected.read);
    expect(res.json.data.my_role).toBe(role);
  });

  it(`lists members (${expected.listMembers})`, async () => {
    expect((await t.call('GET', `/api/projects/${projectId}/members`, { token: actor.token })).status).toBe(expected.listMembers);
  });

  it(`updates settings (${expected.update})`, async () => {
    const res = await t.call('PATCH', `/api/projects/${projectId}`, { token: actor.token, body: { description: `by ${role}` } });
    expect(res.status).toBe(expected.update);
    const [row] = await t.sql`SELECT description FROM projects WHERE id = ${projectId}`;
    expect(row?.description === `by ${role}`).toBe(expected.update === 200);
  });

  it.each(ROLES)('adds a %s', async (target) => {
    const user = await createUser(t);
    const res = await t.call('POST', `/api/projects/${projectId}/members`, { token: actor.token, body: { email: user.email, role: target } });
    expect(res.status).toBe(expected.add[target]);
    expect(await roleOf(projectId, user.id)).toBe(expected.add[target] === 201 ? target : null);
  });

  it.each(ALL_PAIRS)('re-roles %s', async (pair) => {
    const [from, to] = pair.split('>') as [Role, Role];
    const target = await memberWith(projectId, from);
    const res = await t.call('PATCH', `/api/projects/${projectId}/members/${target.id}`, { token: actor.token, body: { role: to } });
    const allowed = expected.reRoleAllowed.includes(pair);
    expect(res.status).toBe(allowed ? 200 : 403);
    expect(await roleOf(projectId, target.id)).toBe(allowed ? to : from);
  });

  it.each(ROLES)('removes a %s', async (targetRole) => {
    const target = await memberWith(projectId, targetRole);
    const res = await t.call('DELETE', `/api/projects/${projectId}/members/${target.id}`, { token: actor.token });
    expect(res.status).toBe(expected.remove[targetRole]);
    expect(await roleOf(projectId, target.id)).toBe(expected.remove[targetRole] === 200 ? null : targetRole);
  });

  it(`deletes the project (${expected.delete})`, async () => {
    const own = await projectWith(actor, role);
    const res = await t.call('DELETE', `/api/projects/${own}`, { token: actor.token });
    expect(res.status).toBe(expected.delete);
    const [row] = await t.sql`SELECT deleted_at FROM projects WHERE id = ${own}`;
    expect(row?.deleted_at != null).toBe(expected.delete === 200);
  });

  it(`leaves (${expected.leave})`, async () => {
    const own = await projectWith(actor, role);
    const res = await t.call('DELETE', `/api/projects/${own}/members/${actor.id}`, { token: actor.token });
    expect(res.status).toBe(expected.leave);
    expect(await roleOf(own, actor.id)).toBeNull();
    expect((await t.call('GET', `/api/projects/${own}`, { token: actor.token })).status).toBe(404);
  });
});

describe('as a non-member', () => {
  it('gets 404 for every project and member action', async () => {
    const stranger = await createUser(t);
    const member = await createUser(t);
    const res = await t.call('POST', '/api/projects', { token: owner.token, body: { name: 'Private' } });
    const id = res.json.data.id as string;
    await t.sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${id}, ${member.id}, 'MEMBER')`;
    const calls: [string, string, unknown?][] = [
      ['GET', `/api/projects/${id}`],
      ['PATCH', `/api/projects/${id}`, { name: 'x' }],
      ['PUT', `/api/projects/${id}`, { name: 'x' }],
      ['DELETE', `/api/projects/${id}`],
      ['GET', `/api/projects/${id}/members`],
      ['POST', `/api/projects/${id}/members`, { user_id: stranger.id, role: 'ADMIN' }],
      ['PATCH', `/api/projects/${id}/members/${member.id}`, { role: 'ADMIN' }],
      ['DELETE', `/api/projects/${id}/members/${member.id}`],
    ];
    for (const [method, path, body] of calls) {
      const answer = await t.call(method, path, { token: stranger.token, body });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.json.error.message).toBe('Project not found');
    }
    expect(await roleOf(id, member.id)).toBe('MEMBER');
    expect(await roleOf(id, stranger.id)).toBeNull();
  });
});
