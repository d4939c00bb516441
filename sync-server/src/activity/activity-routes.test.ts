// Activity over REST: newest first, paginated, filtered by user, action and date range.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncHarness, type SyncHarness } from '../sync/test-sync-server.ts';
import { apiClient } from '../tasks/test-api.ts';
import type { TestUser } from '../test/fixtures.ts';

let h: SyncHarness;
let call: ReturnType<typeof apiClient>;
let alice: TestUser, bob: TestUser, viewer: TestUser, stranger: TestUser;
let projectId: string;
let taskA: string, taskB: string;

type Entry = { id: string; project_id: string; task_id: string | null; user_id: string; action: string; changes: Record<string, unknown>; created_at: string };

beforeAll(async () => {
  h = await startSyncHarness();
  call = apiClient(h);
  [alice, bob, viewer, stranger] = await Promise.all([h.user(), h.user(), h.user(), h.user()]);
  projectId = await h.project([[alice, 'ADMIN'], [bob, 'MEMBER'], [viewer, 'VIEWER']]);
  taskA = (await call('POST', `/api/projects/${projectId}/tasks`, { token: alice.token, body: { title: 'A' } })).json.data.id;
  taskB = (await call('POST', `/api/projects/${projectId}/tasks`, { token: bob.token, body: { title: 'B' } })).json.data.id;
  await call('POST', `/api/tasks/${taskA}/move`, { token: bob.token, body: { status: 'IN_PROGRESS' } });
  await call('PATCH', `/api/tasks/${taskA}`, { token: alice.token, body: { priority: 'URGENT' } });
  await call('POST', `/api/tasks/${taskB}/comments`, { token: alice.token, body: { content: 'hello' } });
  await call('DELETE', `/api/tasks/${taskB}`, { token: bob.token });
});
afterAll(() => h.close());

const get = async (path: string, token = viewer.token) => {
  const res = await call('GET', path, { token });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as { data: Entry[]; pagination: { total: number; pages: number } };
};

describe('activity', () => {
  it('lists the project\'s activity newest first with the documented fields', async () => {
    const { data, pagination } = await get(`/api/projects/${projectId}/activity`);
    expect(pagination.total).toBe(data.length);
    const times = data.map((e) => e.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    for (const e of data) {
      expect(Object.keys(e)).toEqual(expect.arrayContaining(['id', 'project_id', 'task_id', 'user_id', 'action', 'changes', 'created_at']));
      expect(e.project_id).toBe(projectId);
    }
    const actions = data.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['task.created', 'task.moved', 'task.deleted', 'comment.created']));
    const moved = data.find((e) => e.action === 'task.moved')!;
    expect(moved).toMatchObject({ task_id: taskA, user_id: bob.id });
    expect(moved.changes.status).toEqual(['TODO', 'IN_PROGRESS']);
  });

  it('filters by user, action (one or several) and date range', async () => {
    const byBob = await get(`/api/projects/${projectId}/activity?user_id=${bob.id}`);
    expect(byBob.data.length).toBeGreaterThan(0);
    expect(byBob.data.every((e) => e.user_id === bob.id)).toBe(true);
    const created = await get(`/api/projects/${projectId}/activity?action=task.created`);
    expect(created.data.map((e) => e.task_id).sort()).toEqual([taskA, taskB].sort());
    const two = await get(`/api/projects/${projectId}/activity?action=task.created,task.deleted`);
    expect(new Set(two.data.map((e) => e.action))).toEqual(new Set(['task.created', 'task.deleted']));
    const all = await get(`/api/projects/${projectId}/activity?per_page=100`);
    const oldest = all.data[all.data.length - 1]!.created_at;
    const newest = all.data[0]!.created_at;
    expect((await get(`/api/projects/${projectId}/activity?since=${encodeURIComponent(newest)}`)).data.every((e) => e.created_at >= newest)).toBe(true);
    expect((await get(`/api/projects/${projectId}/activity?until=${encodeURIComponent(oldest)}`)).data.every((e) => e.created_at <= oldest)).toBe(true);
    expect((await get(`/api/projects/${projectId}/activity?until=2000-01-01`)).data).toEqual([]);
    expect((await get(`/api/projects/${projectId}/activity?since=2000-01-01`)).pagination.total).toBe(all.pagination.total);
  });

  it('task activity covers only that task; pages are consistent', async () => {
    const { data } = await get(`/api/tasks/${taskA}/activity`);
    expect(data.length).toBeGreaterThanOrEqual(3);
    expect(data.every((e) => e.task_id === taskA)).toBe(true);
    const p1 = await get(`/api/tasks/${taskA}/activity?per_page=1&page=1`);
    const p2 = await get(`/api/tasks/${taskA}/activity?per_page=1&page=2`);
    expect(p1.pagination.total).toBe(data.length);
    expect([p1.data[0]!.id, p2.data[0]!.id]).toEqual([data[0]!.id, data[1]!.id]);
  });

  it('refuses bad filters (400) and non-members (404)', async () => {
    for (const q of ['user_id=nope', 'action=DROP%20TABLE', 'since=yesterday', 'per_page=500']) {
      expect((await call('GET', `/api/projects/${projectId}/activity?${q}`, { token: viewer.token })).status, q).toBe(400);
    }
    expect((await call('GET', `/api/projects/${projectId}/activity`, { token: stranger.token })).status).toBe(404);
    expect((await call('GET', `/api/tasks/${taskA}/activity`, { token: stranger.token })).status).toBe(404);
    expect((await call('GET', `/api/projects/${projectId}/activity`)).status).toBe(401);
  });
});
