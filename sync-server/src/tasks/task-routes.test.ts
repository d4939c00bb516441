// Task REST routes against the real server: real PostgreSQL, the sync server's DocWriter, projections.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncHarness, type SyncHarness } from '../sync/test-sync-server.ts';
import type { TestUser } from '../test/fixtures.ts';
import { apiClient } from './test-api.ts';

let h: SyncHarness;
let call: ReturnType<typeof apiClient>;
let admin: TestUser, member: TestUser, viewer: TestUser, stranger: TestUser;
let projectId: string;
const ids: Record<string, string> = {};

// A fixed board: each filter below has exactly one right answer.
const seed = [
  { key: 'a', title: 'Write release notes', description: 'Summarize the sprint', status: 'TODO', priority: 'LOW', due_date: '2026-03-01' },
  { key: 'b', title: 'Fix login bug', description: 'Users cannot log in with uppercase emails', status: 'IN_PROGRESS', priority: 'URGENT', due_date: '2026-02-01' },
  { key: 'c', title: 'Design review', description: 'Look at the new board colours', status: 'IN_REVIEW', priority: 'HIGH', due_date: null },
  { key: 'd', title: 'Deploy to production', description: 'After QA signs off', status: 'DONE', priority: 'MEDIUM', due_date: '2026-01-15' },
  { key: 'e', title: 'Old idea', description: 'Maybe later', status: 'TODO', priority: 'MEDIUM', due_date: '2026-04-01' },
] as const;

beforeAll(async () => {
  h = await startSyncHarness();
  call = apiClient(h);
  [admin, member, viewer, stranger] = await Promise.all([h.user(), h.user(), h.user(), h.user()]);
  projectId = await h.project([[admin, 'ADMIN'], [member, 'MEMBER'], [viewer, 'VIEWER']]);
  for (const { key, ...task } of seed) {
    const res = await call('POST', `/api/projects/${projectId}/tasks`, {
      token: admin.token,
      body: { ...task, assignee_id: key === 'b' || key === 'c' ? member.id : null },
    });
    expect(res.status).toBe(201);
    ids[key] = res.json.data.id;
  }
});
afterAll(() => h.close());

const list = async (query: string, token = admin.token) => {
  const res = await call('GET', `/api/projects/${projectId}/tasks?${query}`, { token });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as { data: { id: string; title: string }[]; pagination: { page: number; per_page: number; total: number; pages: number } };
};
const keysOf = (data: { id: string }[]) => data.map((t) => Object.keys(ids).find((k) => ids[k] === t.id) ?? t.id);
/** Only the seeded tasks (other tests create and delete their own). */
const seededKeys = (data: { id: string }[]) => keysOf(data).filter((k) => k in ids);

describe('create and read', () => {
  it('creates a task with the caller as reporter and returns the row', async () => {
    const res = await call('POST', `/api/projects/${projectId}/tasks`, {
      token: member.token,
      body: { title: '  Trim me  ', estimated_hours: 2.5, checklist: [{ text: 'one' }, { text: 'two', done: true }] },
    });
    expect(res.status).toBe(201);
    const task = res.json.data;
    expect(task).toMatchObject({
      project_id: projectId,
      title: 'Trim me',
      description: '',
      status: 'TODO',
      priority: 'MEDIUM',
      reporter_id: member.id,
      estimated_hours: 2.5,
      tag_ids: [],
      deleted_at: null,
      completed_at: null,
    });
    expect(task.checklist.map((i: { text: string; done: boolean }) => [i.text, i.done])).toEqual([['one', false], ['two', true]]);
    const got = await call('GET', `/api/tasks/${task.id}`, { token: viewer.token });
    expect(got.status).toBe(200);
    expect(got.json.data).toEqual(task);
    await call('DELETE', `/api/tasks/${task.id}`, { token: member.token });
  });

  it('accepts a client-chosen id once and answers 409 for the same id again', async () => {
    const id = randomUUID();
    const first = await call('POST', `/api/projects/${projectId}/tasks`, { token: member.token, body: { id, title: 'Offline task' } });
    expect(first.status).toBe(201);
    expect(first.json.data.id).toBe(id);
    const again = await call('POST', `/api/projects/${projectId}/tasks`, { token: member.token, body: { id, title: 'Offline task' } });
    expect(again.status).toBe(409);
    await call('DELETE', `/api/tasks/${id}`, { token: member.token });
  });

  it('validates bodies with field-level details', async () => {
    const res = await call('POST', `/api/projects/${projectId}/tasks`, {
      token: admin.token,
      body: { title: '', status: 'NOPE', due_date: '2026-02-30', estimated_hours: -1, extra: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_ERROR');
    const fields = res.json.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'status', 'due_date', 'estimated_hours']));
  });

  it('refuses an assignee who is not a member', async () => {
    const res = await call('POST', `/api/projects/${projectId}/tasks`, { token: admin.token, body: { title: 'x', assignee_id: stranger.id } });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].field).toBe('assignee_id');
  });

  it('answers 404 for unknown and malformed ids, never 500', async () => {
    for (const path of [`/api/tasks/${randomUUID()}`, '/api/tasks/not-a-uuid', "/api/tasks/1'%20OR%201=1", `/api/projects/not-a-uuid/tasks`]) {
      const res = await call('GET', path, { token: admin.token });
      expect(res.status, path).toBe(404);
      expect(res.json.error.code).toBe('NOT_FOUND');
    }
  });
});

describe('permissions', () => {
  it('401 without a token', async () => {
    expect((await call('GET', `/api/projects/${projectId}/tasks`)).status).toBe(401);
    expect((await call('GET', `/api/tasks/${ids.a}`)).status).toBe(401);
    expect((await call('POST', `/api/projects/${projectId}/tasks`, { body: { title: 'x' } })).status).toBe(401);
  });

  it('VIEWER reads but every write is 403', async () => {
    expect((await call('GET', `/api/tasks/${ids.a}`, { token: viewer.token })).status).toBe(200);
    const writes = [
      call('POST', `/api/projects/${projectId}/tasks`, { token: viewer.token, body: { title: 'x' } }),
      call('PATCH', `/api/tasks/${ids.a}`, { token: viewer.token, body: { title: 'x' } }),
      call('PUT', `/api/tasks/${ids.a}`, { token: viewer.token, body: { title: 'x' } }),
      call('DELETE', `/api/tasks/${ids.a}`, { token: viewer.token }),
      call('POST', `/api/tasks/${ids.a}/restore`, { token: viewer.token }),
      call('POST', `/api/tasks/${ids.a}/move`, { token: viewer.token, body: { status: 'DONE' } }),
    ];
    for (const res of await Promise.all(writes)) {
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('FORBIDDEN');
    }
    expect((await call('GET', `/api/tasks/${ids.a}`, { token: viewer.token })).json.data.title).toBe('Write release notes');
  });

  it('a non-member gets 404 for the project and for its tasks, reads and writes alike', async () => {
    const attempts = [
      call('GET', `/api/projects/${projectId}/tasks`, { token: stranger.token }),
      call('POST', `/api/projects/${projectId}/tasks`, { token: stranger.token, body: { title: 'x' } }),
      call('GET', `/api/tasks/${ids.a}`, { token: stranger.token }),
      call('PATCH', `/api/tasks/${ids.a}`, { token: stranger.token, body: { title: 'x' } }),
      call('DELETE', `/api/tasks/${ids.a}`, { token: stranger.token }),
      call('POST', `/api/tasks/${ids.a}/move`, { token: stranger.token, body: { status: 'DONE' } }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
  });
});

describe('list filters', () => {
  it.each([
    ['status=TODO', ['a', 'e']],
    ['status=TODO,DONE', ['a', 'e', 'd']],
    ['priority=URGENT', ['b']],
    ['priority=HIGH,URGENT', ['b', 'c']],
    ['due_before=2026-02-01', ['b', 'd']],
    ['due_after=2026-03-01', ['a', 'e']],
    ['due_after=2026-01-20&due_before=2026-03-15', ['b', 'a']],
    ['search=login', ['b']],
    ['search=LOG', ['b']], // word prefix, any case
    ['search=colours%20board', ['c']], // every word must match, in any order
    ['search=QA', ['d']], // short words match as substrings
    ['search=%25', []], // LIKE wildcards are literal
    ['search=nothing-like-this', []],
  ])('%s', async (query, expected) => {
    const { data } = await list(`${query}&sort=due_date`);
    expect(new Set(keysOf(data))).toEqual(new Set(expected));
  });

  it('assignee_id and reporter_id', async () => {
    expect(new Set(keysOf((await list(`assignee_id=${member.id}`)).data))).toEqual(new Set(['b', 'c']));
    expect(keysOf((await list(`assignee_id=none&status=TODO`)).data).sort()).toEqual(['a', 'e']);
    expect((await list(`reporter_id=${admin.id}`)).pagination.total).toBe(5);
    expect((await list(`reporter_id=${member.id}`)).pagination.total).toBe(0);
  });

  it('include_deleted: false by default, true adds them, only lists just them', async () => {
    const res = await call('DELETE', `/api/tasks/${ids.e}`, { token: member.token });
    expect(res.status).toBe(200);
    expect(res.json.data.deleted_at).not.toBeNull();
    try {
      expect(keysOf((await list('status=TODO')).data)).toEqual(['a']);
      expect(new Set(seededKeys((await list('status=TODO&include_deleted=true')).data))).toEqual(new Set(['a', 'e']));
      expect(seededKeys((await list('include_deleted=only')).data)).toEqual(['e']);
    } finally {
      const restored = await call('POST', `/api/tasks/${ids.e}/restore`, { token: member.token });
      expect(restored.json.data.deleted_at).toBeNull();
    }
  });

  it('refuses bad filter values with 400', async () => {
    for (const q of ['status=NOPE', 'priority=low', 'due_before=yesterday', 'assignee_id=42', 'sort=title', 'per_page=101', 'per_page=0', 'page=0', 'page=abc', 'include_deleted=maybe']) {
      const res = await call('GET', `/api/projects/${projectId}/tasks?${q}`, { token: admin.token });
      expect(res.status, q).toBe(400);
      expect(res.json.error.code).toBe('VALIDATION_ERROR');
    }
  });
});

describe('sorting', () => {
  const live = ['a', 'b', 'c', 'd', 'e'];
  it('priority sorts by urgency, not alphabetically', async () => {
    const asc = keysOf((await list('sort=priority')).data);
    expect(asc[0]).toBe('a'); // LOW
    expect(asc.slice(1, 3).sort()).toEqual(['d', 'e']); // MEDIUM
    expect(asc.slice(3)).toEqual(['c', 'b']); // HIGH, URGENT
    expect(keysOf((await list('sort=-priority')).data).slice(0, 2)).toEqual(['b', 'c']);
  });

  it('due_date ascending and descending, undated last', async () => {
    expect(keysOf((await list('sort=due_date')).data)).toEqual(['d', 'b', 'a', 'e', 'c']);
    expect(keysOf((await list('sort=-due_date')).data)).toEqual(['e', 'a', 'b', 'd', 'c']);
  });

  it('created_at and updated_at', async () => {
    expect(keysOf((await list('sort=created_at')).data)).toEqual(live);
    expect(keysOf((await list('sort=-created_at')).data)).toEqual([...live].reverse());
    await call('PATCH', `/api/tasks/${ids.c}`, { token: admin.token, body: { description: 'Look at the new board colours!' } });
    expect(keysOf((await list('sort=-updated_at')).data)[0]).toBe('c');
  });

  it('rank is board order: columns in board order, then position in the column', async () => {
    // Default sort = rank.
    expect(keysOf((await list('')).data)).toEqual(['a', 'e', 'b', 'c', 'd']);
    expect(keysOf((await list('sort=-rank')).data)).toEqual(['d', 'c', 'b', 'e', 'a']);
  });
});

describe('pagination', () => {
  it('pages through with totals and stable order', async () => {
    const p1 = await list('per_page=2&page=1&sort=created_at');
    const p2 = await list('per_page=2&page=2&sort=created_at');
    const p3 = await list('per_page=2&page=3&sort=created_at');
    expect(p1.pagination).toEqual({ page: 1, per_page: 2, total: 5, pages: 3 });
    expect(keysOf([...p1.data, ...p2.data, ...p3.data])).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(p3.data).toHaveLength(1);
  });

  it('a page past the end is empty, with the real totals', async () => {
    const res = await list('per_page=2&page=4');
    expect(res.data).toEqual([]);
    expect(res.pagination).toEqual({ page: 4, per_page: 2, total: 5, pages: 3 });
  });

  it('per_page=100 is allowed, default is 20, an empty result has pages=1', async () => {
    expect((await list('per_page=100')).pagination.per_page).toBe(100);
    expect((await list('')).pagination.per_page).toBe(20);
    expect((await list('search=zzzzzz')).pagination).toEqual({ page: 1, per_page: 20, total: 0, pages: 1 });
  });
});

describe('update, move, delete, restore', () => {
  it('PATCH changes fields and returns the new row; PUT does the same', async () => {
    const patched = await call('PATCH', `/api/tasks/${ids.a}`, {
      token: member.token,
      body: { title: 'Write the release notes', priority: 'HIGH', due_date: null, assignee_id: member.id, actual_hours: 1 },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.data).toMatchObject({ title: 'Write the release notes', priority: 'HIGH', due_date: null, assignee_id: member.id, actual_hours: 1 });
    const put = await call('PUT', `/api/tasks/${ids.a}`, { token: member.token, body: { priority: 'LOW', due_date: '2026-03-01', assignee_id: null } });
    expect(put.status).toBe(200);
    expect(put.json.data).toMatchObject({ title: 'Write the release notes', priority: 'LOW', due_date: '2026-03-01', assignee_id: null });
  });

  it('an empty PATCH is a 400', async () => {
    expect((await call('PATCH', `/api/tasks/${ids.a}`, { token: member.token, body: {} })).status).toBe(400);
  });

  it('setting DONE sets completed_at, leaving DONE clears it', async () => {
    const done = await call('PATCH', `/api/tasks/${ids.c}`, { token: member.token, body: { status: 'DONE' } });
    expect(done.json.data.status).toBe('DONE');
    expect(done.json.data.completed_at).not.toBeNull();
    const back = await call('POST', `/api/tasks/${ids.c}/move`, { token: member.token, body: { status: 'IN_REVIEW' } });
    expect(back.json.data).toMatchObject({ status: 'IN_REVIEW', completed_at: null });
  });

  it('move places the task between neighbours', async () => {
    const res = await call('POST', `/api/tasks/${ids.e}/move`, { token: member.token, body: { status: 'TODO', before_id: ids.a } });
    expect(res.status).toBe(200);
    expect(keysOf((await list('status=TODO')).data)).toEqual(['e', 'a']);
    const after = await call('POST', `/api/tasks/${ids.e}/move`, { token: member.token, body: { status: 'TODO', after_id: ids.a } });
    expect(after.status).toBe(200);
    expect(keysOf((await list('status=TODO')).data)).toEqual(['a', 'e']);
  });

  it('move refuses a neighbour from another column or an unknown one with 400', async () => {
    const other = await call('POST', `/api/tasks/${ids.e}/move`, { token: member.token, body: { status: 'TODO', after_id: ids.b } });
    expect(other.status).toBe(400);
    const unknown = await call('POST', `/api/tasks/${ids.e}/move`, { token: member.token, body: { status: 'TODO', after_id: randomUUID() } });
    expect(unknown.status).toBe(400);
  });

  it('a deleted task cannot be edited or moved until restored (409)', async () => {
    await call('DELETE', `/api/tasks/${ids.d}`, { token: member.token });
    expect((await call('PATCH', `/api/tasks/${ids.d}`, { token: member.token, body: { title: 'x' } })).status).toBe(409);
    expect((await call('POST', `/api/tasks/${ids.d}/move`, { token: member.token, body: { status: 'TODO' } })).status).toBe(409);
    const got = await call('GET', `/api/tasks/${ids.d}`, { token: viewer.token });
    expect(got.json.data.deleted_at).not.toBeNull();
    expect((await call('POST', `/api/tasks/${ids.d}/restore`, { token: member.token })).json.data.deleted_at).toBeNull();
  });

  it('PATCH checklist replaces it: keeps known items, adds, removes, reorders', async () => {
    const created = await call('POST', `/api/projects/${projectId}/tasks`, {
      token: member.token,
      body: { title: 'Checklist', checklist: [{ text: 'one' }, { text: 'two' }, { text: 'three' }] },
    });
    const [one, two, three] = created.json.data.checklist as { id: string }[];
    const res = await call('PATCH', `/api/tasks/${created.json.data.id}`, {
      token: member.token,
      body: { checklist: [{ id: three!.id, text: 'three', done: true }, { text: 'four' }, { id: one!.id, text: 'ONE' }] },
    });
    expect(res.status).toBe(200);
    const items = res.json.data.checklist as { id: string; text: string; done: boolean }[];
    expect(items.map((i) => [i.text, i.done])).toEqual([['three', true], ['four', false], ['ONE', false]]);
    expect(items[0]!.id).toBe(three!.id);
    expect(items[2]!.id).toBe(one!.id);
    expect(items.some((i) => i.id === two!.id)).toBe(false);
    await call('DELETE', `/api/tasks/${created.json.data.id}`, { token: member.token });
  });
});

describe('idempotent creates', () => {
  const countTitled = async (title: string) =>
    Number((await h.db.sql<{ n: string }[]>`SELECT count(*) AS n FROM tasks WHERE project_id = ${projectId} AND title = ${title}`)[0]!.n);

  it('the same Idempotency-Key twice makes one task and replays the first answer', async () => {
    const key = randomUUID();
    const body = { title: 'Retried create' };
    const first = await call('POST', `/api/projects/${projectId}/tasks`, { token: member.token, body, headers: { 'idempotency-key': key } });
    const retry = await call('POST', `/api/projects/${projectId}/tasks`, { token: member.token, body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(first.json);
    expect(await countTitled('Retried create')).toBe(1);
  });

  it('concurrent retries with one key make one task', async () => {
    const key = randomUUID();
    const body = { title: 'Concurrent create' };
    const results = await Promise.all(
      Array.from({ length: 6 }, () => call('POST', `/api/projects/${projectId}/tasks`, { token: member.token, body, headers: { 'idempotency-key': key } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(new Set(results.map((r) => r.json.data.id)).size).toBe(1);
    expect(await countTitled('Concurrent create')).toBe(1);
  });

  it('the same key with another body is refused and creates nothing', async () => {
    const key = randomUUID();
    await call('POST', `/api/projects/${projectId}/tasks`, { token: member.token, body: { title: 'Key reuse 1' }, headers: { 'idempotency-key': key } });
    const other = await call('POST', `/api/projects/${projectId}/tasks`, { token: member.token, body: { title: 'Key reuse 2' }, headers: { 'idempotency-key': key } });
    expect(other.status).toBe(400);
    expect(await countTitled('Key reuse 2')).toBe(0);
  });
});

describe('OpenAPI', () => {
  it('documents every board endpoint', async () => {
    const doc = (await call('GET', '/api/openapi.json')).json;
    const expected: [string, string][] = [
      ['/api/projects/{id}/tasks', 'get'], ['/api/projects/{id}/tasks', 'post'], ['/api/tasks/{id}', 'get'], ['/api/tasks/{id}', 'patch'],
      ['/api/tasks/{id}', 'put'], ['/api/tasks/{id}', 'delete'], ['/api/tasks/{id}/restore', 'post'], ['/api/tasks/{id}/move', 'post'],
      ['/api/tasks/{id}/comments', 'get'], ['/api/tasks/{id}/comments', 'post'], ['/api/comments/{id}', 'patch'], ['/api/comments/{id}', 'delete'],
      ['/api/projects/{id}/tags', 'get'], ['/api/projects/{id}/tags', 'post'], ['/api/tags/{id}', 'patch'], ['/api/tags/{id}', 'delete'],
      ['/api/tasks/{id}/attachments', 'post'], ['/api/attachments/{id}', 'get'], ['/api/attachments/{id}', 'delete'],
      ['/api/projects/{id}/activity', 'get'], ['/api/tasks/{id}/activity', 'get'],
    ];
    for (const [path, method] of expected) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
  });
});
