// The original system's API scenario, end to end over real HTTP with real auth routes, as assertions:
// register, log in, me, projects, members, tasks with every filter and search, comments and replies, and
// the 400/401/403/404 answers along the way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncHarness, type SyncHarness } from '../sync/test-sync-server.ts';
import { apiClient } from './test-api.ts';

let h: SyncHarness;
let call: ReturnType<typeof apiClient>;

beforeAll(async () => {
  h = await startSyncHarness();
  call = apiClient(h);
});
afterAll(() => h.close());

describe('API scenario', () => {
  it('runs the whole flow', async () => {
    // Register two people; the first user of the instance becomes its admin, nobody picks a role.
    const reg = await call('POST', '/api/auth/register', { body: { email: 'owner@example.com', password: 'a long enough passphrase', full_name: 'Olive Owner' } });
    expect(reg.status).toBe(201);
    expect(reg.json.data).toMatchObject({ user: { email: 'owner@example.com', full_name: 'Olive Owner' }, expires_in: expect.any(Number) });
    expect(reg.json.data.access_token).toEqual(expect.any(String));
    const reg2 = await call('POST', '/api/auth/register', { body: { email: 'dev@example.com', password: 'another long passphrase', full_name: 'Dana Dev' } });
    expect(reg2.status).toBe(201);
    const devId: string = reg2.json.data.user.id;
    const reg3 = await call('POST', '/api/auth/register', { body: { email: 'outsider@example.com', password: 'outsider passphrase!', full_name: 'Otto Outsider' } });
    const outsider: string = reg3.json.data.access_token;

    // 400 on bad registration, 401 on a wrong password.
    expect((await call('POST', '/api/auth/register', { body: { email: 'not-an-email', password: 'x', full_name: '' } })).status).toBe(400);
    expect((await call('POST', '/api/auth/login', { body: { email: 'owner@example.com', password: 'wrong password here' } })).status).toBe(401);

    // Log in and ask who I am.
    const login = await call('POST', '/api/auth/login', { body: { email: 'owner@example.com', password: 'a long enough passphrase' } });
    expect(login.status).toBe(200);
    const owner: string = login.json.data.access_token;
    const me = await call('GET', '/api/auth/me', { token: owner });
    expect(me.status).toBe(200);
    expect(me.json.data).toMatchObject({ email: 'owner@example.com', full_name: 'Olive Owner' });
    expect((await call('GET', '/api/auth/me')).status).toBe(401);
    expect((await call('GET', '/api/auth/me', { token: 'not.a.jwt' })).status).toBe(401);
    const dev: string = (await call('POST', '/api/auth/login', { body: { email: 'dev@example.com', password: 'another long passphrase' } })).json.data.access_token;

    // Projects: create, list, get, update.
    const created = await call('POST', '/api/projects', { token: owner, body: { name: 'Website relaunch', description: 'Q3', status: 'ACTIVE' } });
    expect(created.status).toBe(201);
    const projectId: string = created.json.data.id;
    expect((await call('POST', '/api/projects', { token: owner, body: { name: '' } })).status).toBe(400);
    const listed = await call('GET', '/api/projects', { token: owner });
    expect(listed.json.data.map((p: { id: string }) => p.id)).toContain(projectId);
    expect(listed.json.pagination).toMatchObject({ page: 1, total: 1 });
    expect((await call('GET', `/api/projects/${projectId}`, { token: owner })).json.data.name).toBe('Website relaunch');
    const updated = await call('PATCH', `/api/projects/${projectId}`, { token: owner, body: { name: 'Website relaunch 2026' } });
    expect(updated.status).toBe(200);
    expect(updated.json.data.name).toBe('Website relaunch 2026');
    expect((await call('GET', `/api/projects/${projectId}`, { token: outsider })).status).toBe(404);

    // Add a member; before that the developer cannot see the project.
    expect((await call('GET', `/api/projects/${projectId}/tasks`, { token: dev })).status).toBe(404);
    const added = await call('POST', `/api/projects/${projectId}/members`, { token: owner, body: { email: 'dev@example.com', role: 'MEMBER' } });
    expect(added.status).toBe(201);
    expect((await call('PATCH', `/api/projects/${projectId}`, { token: dev, body: { name: 'mine now' } })).status).toBe(403);

    // Tasks.
    const mk = async (token: string, body: Record<string, unknown>) => {
      const res = await call('POST', `/api/projects/${projectId}/tasks`, { token, body });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      return res.json.data as { id: string };
    };
    const t1 = await mk(owner, { title: 'Set up CI pipeline', description: 'GitHub Actions with caching', priority: 'HIGH', assignee_id: devId, due_date: '2026-07-01' });
    const t2 = await mk(dev, { title: 'Homepage hero', description: 'New illustration', status: 'IN_PROGRESS', priority: 'MEDIUM', due_date: '2026-06-15' });
    const t3 = await mk(owner, { title: 'Fix broken links', priority: 'URGENT', status: 'TODO' });
    expect((await call('POST', `/api/projects/${projectId}/tasks`, { token: owner, body: { priority: 'HIGH' } })).status).toBe(400);
    expect((await call('POST', `/api/projects/${projectId}/tasks`, { body: { title: 'anon' } })).status).toBe(401);

    const ids = async (query: string) => {
      const res = await call('GET', `/api/projects/${projectId}/tasks?${query}`, { token: dev });
      expect(res.status).toBe(200);
      return (res.json.data as { id: string }[]).map((t) => t.id).sort();
    };
    expect(await ids('')).toEqual([t1.id, t2.id, t3.id].sort());
    expect(await ids('status=IN_PROGRESS')).toEqual([t2.id]);
    expect(await ids('priority=URGENT')).toEqual([t3.id]);
    expect(await ids(`assignee_id=${devId}`)).toEqual([t1.id]);
    expect(await ids(`reporter_id=${devId}`)).toEqual([t2.id]);
    expect(await ids('due_before=2026-06-30')).toEqual([t2.id]);
    expect(await ids('due_after=2026-06-30')).toEqual([t1.id]);
    expect(await ids('search=pipeline')).toEqual([t1.id]);
    expect(await ids('search=caching')).toEqual([t1.id]); // description counts
    expect(await ids('search=hero')).toEqual([t2.id]);
    expect((await call('GET', `/api/projects/${projectId}/tasks?per_page=1&page=2&sort=-priority`, { token: dev })).json).toMatchObject({
      pagination: { page: 2, per_page: 1, total: 3, pages: 3 },
      data: [{ id: t1.id }],
    });
    expect((await call('GET', `/api/projects/${projectId}/tasks?status=WRONG`, { token: dev })).status).toBe(400);

    // Get and update a task.
    const got = await call('GET', `/api/tasks/${t3.id}`, { token: dev });
    expect(got.json.data).toMatchObject({ title: 'Fix broken links', priority: 'URGENT', status: 'TODO', project_id: projectId });
    const moved = await call('PATCH', `/api/tasks/${t3.id}`, { token: dev, body: { status: 'DONE', actual_hours: 3 } });
    expect(moved.status).toBe(200);
    expect(moved.json.data).toMatchObject({ status: 'DONE', actual_hours: 3 });
    expect(moved.json.data.completed_at).not.toBeNull();
    expect((await call('GET', `/api/tasks/${t3.id}`, { token: outsider })).status).toBe(404);
    expect((await call('PATCH', `/api/tasks/${t3.id}`, { token: dev, body: { priority: 'SOMETIMES' } })).status).toBe(400);

    // Comment and reply.
    const c1 = await call('POST', `/api/tasks/${t1.id}/comments`, { token: owner, body: { content: 'Use the shared runner please' } });
    expect(c1.status).toBe(201);
    const reply = await call('POST', `/api/tasks/${t1.id}/comments`, { token: dev, body: { content: 'Will do', parent_id: c1.json.data.id } });
    expect(reply.status).toBe(201);
    const thread = await call('GET', `/api/tasks/${t1.id}/comments`, { token: dev });
    expect(thread.json.data).toHaveLength(1);
    expect(thread.json.data[0]).toMatchObject({ content: 'Use the shared runner please', author_id: me.json.data.id });
    expect(thread.json.data[0].replies.map((r: { content: string; author_id: string }) => [r.content, r.author_id])).toEqual([['Will do', devId]]);
    expect((await call('PATCH', `/api/comments/${c1.json.data.id}`, { token: dev, body: { content: 'edited by someone else' } })).status).toBe(403);
    expect((await call('POST', `/api/tasks/${t1.id}/comments`, { token: dev, body: {} })).status).toBe(400);

    // The activity log names who did what.
    const activity = await call('GET', `/api/projects/${projectId}/activity?action=task.created`, { token: owner });
    const creators = Object.fromEntries((activity.json.data as { task_id: string; user_id: string }[]).map((e) => [e.task_id, e.user_id]));
    expect(creators[t2.id]).toBe(devId);
    expect(creators[t1.id]).toBe(me.json.data.id);
  });
});
