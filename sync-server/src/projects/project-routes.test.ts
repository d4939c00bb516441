import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../test/fixtures.ts';

let t: TestApp;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t, { email: 'alice@example.com', full_name: 'Alice' });
  bob = await createUser(t, { email: 'bob@example.com', full_name: 'Bob' });
});
afterAll(() => t.close());

async function create(user: TestUser, body: Record<string, unknown>) {
  const res = await t.call('POST', '/api/projects', { token: user.token, body });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.data as { id: string; name: string; updated_at: string };
}

describe('POST /api/projects', () => {
  it('creates a project and makes the creator ADMIN', async () => {
    const res = await t.call('POST', '/api/projects', {
      token: alice.token,
      body: { name: '  Launch  ', description: 'Ship it', status: 'PLANNING', color: '#12abEF', start_date: '2026-01-01', end_date: '2026-02-01' },
    });
    expect(res.status).toBe(201);
    expect(res.json.success).toBe(true);
    expect(res.json.data).toMatchObject({
      name: 'Launch',
      description: 'Ship it',
      status: 'PLANNING',
      color: '#12abEF',
      start_date: '2026-01-01',
      end_date: '2026-02-01',
      created_by: alice.id,
      my_role: 'ADMIN',
    });
    const [member] = await t.sql`SELECT role FROM project_members WHERE project_id = ${res.json.data.id} AND user_id = ${alice.id}`;
    expect(member?.role).toBe('ADMIN');
  });

  it('defaults status to ACTIVE and description to empty', async () => {
    const p = await create(alice, { name: 'Defaults' });
    expect(p).toMatchObject({ status: 'ACTIVE', description: '', color: null, start_date: null, end_date: null });
  });

  it('refuses bad input with field-level details', async () => {
    const res = await t.call('POST', '/api/projects', {
      token: alice.token,
      body: { name: '', status: 'DONE', color: 'red', start_date: '2026-13-01', description: 'x'.repeat(10_001) },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_ERROR');
    const fields = (res.json.error.details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['color', 'description', 'name', 'start_date', 'status']);
  });

  it('refuses a name over 200 characters and a start after the end', async () => {
    const long = await t.call('POST', '/api/projects', { token: alice.token, body: { name: 'n'.repeat(201) } });
    expect(long.status).toBe(400);
    expect(long.json.error.details[0].field).toBe('name');
    const dates = await t.call('POST', '/api/projects', { token: alice.token, body: { name: 'D', start_date: '2026-05-02', end_date: '2026-05-01' } });
    expect(dates.status).toBe(400);
    expect(dates.json.error.details[0]).toMatchObject({ field: 'end_date', message: 'end_date must not be before start_date' });
  });

  it('refuses a missing or non-JSON body with 400', async () => {
    expect((await t.call('POST', '/api/projects', { token: alice.token, body: {} })).status).toBe(400);
    expect((await t.call('POST', '/api/projects', { token: alice.token, body: '{not json', headers: { 'content-type': 'application/json' } })).status).toBe(400);
  });

  it('refuses a body that is not declared as JSON', async () => {
    const res = await t.call('POST', '/api/projects', { token: alice.token, body: '{"name":"x"}', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_ERROR');
    const [{ n }] = await t.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM projects WHERE name = 'x'`;
    expect(n).toBe(0);
  });

  it('needs a bearer token', async () => {
    const res = await t.call('POST', '/api/projects', { body: { name: 'x' } });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('UNAUTHORIZED');
  });

  it('is idempotent for the same client id from the same user', async () => {
    const id = randomUUID();
    const first = await t.call('POST', '/api/projects', { token: alice.token, body: { id, name: 'Offline' } });
    expect(first.status).toBe(201);
    const again = await t.call('POST', '/api/projects', { token: alice.token, body: { id, name: 'Offline (renamed)' } });
    expect(again.status).toBe(200);
    expect(again.json.data).toMatchObject({ id, name: 'Offline', my_role: 'ADMIN' });
    const [{ n }] = await t.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM project_members WHERE project_id = ${id}`;
    expect(n).toBe(1);
  });

  it('creates a project once when the same id is sent concurrently', async () => {
    const id = randomUUID();
    const results = await Promise.all([1, 2, 3].map(() => t.call('POST', '/api/projects', { token: alice.token, body: { id, name: 'Race' } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    const [{ n }] = await t.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM projects WHERE id = ${id}`;
    expect(n).toBe(1);
  });

  it("answers 409 for another user's id, even once that project is deleted", async () => {
    const id = randomUUID();
    await create(alice, { id, name: 'Mine' });
    const taken = await t.call('POST', '/api/projects', { token: bob.token, body: { id, name: 'Theirs' } });
    expect(taken.status).toBe(409);
    expect(taken.json.error.code).toBe('CONFLICT');
    expect((await t.call('DELETE', `/api/projects/${id}`, { token: alice.token })).status).toBe(200);
    expect((await t.call('POST', '/api/projects', { token: bob.token, body: { id, name: 'Theirs' } })).status).toBe(409);
    // A deleted project is not resurrected by its creator's retry either.
    expect((await t.call('POST', '/api/projects', { token: alice.token, body: { id, name: 'Mine' } })).status).toBe(409);
  });

  it('refuses a client id that is not a UUID', async () => {
    const res = await t.call('POST', '/api/projects', { token: alice.token, body: { id: 'abc', name: 'x' } });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].field).toBe('id');
  });
});

describe('GET /api/projects/:id', () => {
  it('returns the project with members, my role and task counts (deleted tasks excluded)', async () => {
    const p = await create(alice, { name: 'Detail' });
    await t.sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${p.id}, ${bob.id}, 'VIEWER')`;
    const tasks = [
      ['TODO', null],
      ['TODO', null],
      ['DONE', null],
      ['IN_REVIEW', 'now'],
    ] as const;
    for (const [status, deleted] of tasks) {
      await t.sql`INSERT INTO tasks (id, project_id, status, priority, deleted_at)
        VALUES (${randomUUID()}, ${p.id}, ${status}, 'LOW', ${deleted === 'now' ? new Date() : null})`;
    }
    const res = await t.call('GET', `/api/projects/${p.id}`, { token: bob.token });
    expect(res.status).toBe(200);
    expect(res.json.data.my_role).toBe('VIEWER');
    expect(res.json.data.task_counts).toEqual({ TODO: 2, IN_PROGRESS: 0, IN_REVIEW: 0, DONE: 1, ARCHIVED: 0 });
    expect(res.json.data.members).toEqual([
      { user_id: alice.id, email: 'alice@example.com', full_name: 'Alice', role: 'ADMIN', joined_at: expect.any(String) },
      { user_id: bob.id, email: 'bob@example.com', full_name: 'Bob', role: 'VIEWER', joined_at: expect.any(String) },
    ]);
  });

  it('answers 404 alike for a non-member, an unknown id and a non-UUID id', async () => {
    const p = await create(alice, { name: 'Secret' });
    const answers = await Promise.all(
      [p.id, randomUUID(), 'not-a-uuid', "1' OR '1'='1"].map((id) => t.call('GET', `/api/projects/${encodeURIComponent(id)}`, { token: bob.token })),
    );
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ success: false, error: { code: 'NOT_FOUND', message: 'Project not found' } });
    }
  });

  it('answers 404 for a deleted project', async () => {
    const p = await create(alice, { name: 'Gone' });
    await t.call('DELETE', `/api/projects/${p.id}`, { token: alice.token });
    expect((await t.call('GET', `/api/projects/${p.id}`, { token: alice.token })).status).toBe(404);
  });
});

describe('PATCH and PUT /api/projects/:id', () => {
  it('changes only the fields sent, and null clears', async () => {
    const p = await create(alice, { name: 'Edit me', color: '#000000', start_date: '2026-01-01' });
    const res = await t.call('PATCH', `/api/projects/${p.id}`, { token: alice.token, body: { status: 'ON_HOLD', color: null } });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ name: 'Edit me', status: 'ON_HOLD', color: null, start_date: '2026-01-01' });
    expect(res.json.data.updated_at > p.updated_at).toBe(true);
  });

  it('accepts PUT as the same partial update, ignoring read-only fields an old client sends back', async () => {
    const p = await create(alice, { name: 'Old client' });
    const res = await t.call('PUT', `/api/projects/${p.id}`, {
      token: alice.token,
      body: { ...p, name: 'Renamed', created_by: bob.id, id: randomUUID() },
    });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ id: p.id, name: 'Renamed', created_by: alice.id });
  });

  it('treats an empty body as a no-op that keeps updated_at', async () => {
    const p = await create(alice, { name: 'Untouched' });
    const res = await t.call('PATCH', `/api/projects/${p.id}`, { token: alice.token, body: {} });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ name: 'Untouched', updated_at: p.updated_at });
  });

  it('checks the date order against the stored dates', async () => {
    const p = await create(alice, { name: 'Dates', start_date: '2026-06-01' });
    const res = await t.call('PATCH', `/api/projects/${p.id}`, { token: alice.token, body: { end_date: '2026-05-31' } });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].field).toBe('end_date');
  });

  it('refuses invalid fields with 400 and unknown projects with 404', async () => {
    const p = await create(alice, { name: 'Valid' });
    const bad = await t.call('PATCH', `/api/projects/${p.id}`, { token: alice.token, body: { status: 'NOPE' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].field).toBe('status');
    expect((await t.call('PATCH', `/api/projects/${randomUUID()}`, { token: alice.token, body: { name: 'x' } })).status).toBe(404);
    expect((await t.call('PATCH', `/api/projects/${p.id}`, { token: bob.token, body: { name: 'x' } })).status).toBe(404);
  });
});

describe('DELETE /api/projects/:id', () => {
  it("soft-deletes and emits 'project-deleted'", async () => {
    const p = await create(alice, { name: 'Delete me' });
    const seen: string[] = [];
    const listener = (e: { projectId: string }) => seen.push(e.projectId);
    t.deps.events.on('project-deleted', listener);
    try {
      const res = await t.call('DELETE', `/api/projects/${p.id}`, { token: alice.token });
      expect(res.status).toBe(200);
      expect(res.json.data).toEqual({ id: p.id });
    } finally {
      t.deps.events.off('project-deleted', listener);
    }
    expect(seen).toEqual([p.id]);
    const [row] = await t.sql`SELECT deleted_at FROM projects WHERE id = ${p.id}`;
    expect(row?.deleted_at).toBeInstanceOf(Date);
    expect((await t.call('DELETE', `/api/projects/${p.id}`, { token: alice.token })).status).toBe(404);
  });
});
