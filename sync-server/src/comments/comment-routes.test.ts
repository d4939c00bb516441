// Threaded comments over REST, written through the real sync server's DocWriter.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncHarness, type SyncHarness } from '../sync/test-sync-server.ts';
import { apiClient } from '../tasks/test-api.ts';
import type { TestUser } from '../test/fixtures.ts';
import { buildTree } from './comment-queries.ts';

let h: SyncHarness;
let call: ReturnType<typeof apiClient>;
let admin: TestUser, manager: TestUser, member: TestUser, other: TestUser, viewer: TestUser, stranger: TestUser;
let projectId: string;
let taskId: string;

beforeAll(async () => {
  h = await startSyncHarness();
  call = apiClient(h);
  [admin, manager, member, other, viewer, stranger] = await Promise.all(Array.from({ length: 6 }, () => h.user()));
  projectId = await h.project([[admin, 'ADMIN'], [manager, 'MANAGER'], [member, 'MEMBER'], [other, 'MEMBER'], [viewer, 'VIEWER']]);
  taskId = (await call('POST', `/api/projects/${projectId}/tasks`, { token: member.token, body: { title: 'Discuss' } })).json.data.id;
});
afterAll(() => h.close());

const comment = (token: string, content: string, parent_id?: string, headers?: Record<string, string>) =>
  call('POST', `/api/tasks/${taskId}/comments`, { token, body: parent_id ? { content, parent_id } : { content }, headers });

describe('comments', () => {
  it('comment and reply: the list is the tree, each comment with its replies, oldest first', async () => {
    const top = await comment(member.token, 'First!');
    expect(top.status).toBe(201);
    expect(top.json.data).toMatchObject({ task_id: taskId, project_id: projectId, parent_id: null, author_id: member.id, content: 'First!', edited_at: null });
    expect(top.json.data.author).toEqual({ id: member.id, full_name: 'Test User' });
    const reply = await comment(other.token, 'A reply', top.json.data.id);
    expect(reply.status).toBe(201);
    const nested = await comment(member.token, 'A reply to the reply', reply.json.data.id);
    const second = await comment(other.token, 'Second thread');

    const tree = await call('GET', `/api/tasks/${taskId}/comments`, { token: viewer.token });
    expect(tree.status).toBe(200);
    const shape = (nodes: { id: string; replies: unknown[] }[]): unknown =>
      nodes.map((n) => [n.id, shape(n.replies as { id: string; replies: unknown[] }[])]);
    expect(shape(tree.json.data)).toEqual([
      [top.json.data.id, [[reply.json.data.id, [[nested.json.data.id, []]]]]],
      [second.json.data.id, []],
    ]);
  });

  it('refuses a parent from another task or an unknown one', async () => {
    const otherTask = (await call('POST', `/api/projects/${projectId}/tasks`, { token: member.token, body: { title: 'Other' } })).json.data.id;
    const foreign = (await call('POST', `/api/tasks/${otherTask}/comments`, { token: member.token, body: { content: 'elsewhere' } })).json.data.id;
    expect((await comment(member.token, 'x', foreign)).status).toBe(400);
    expect((await comment(member.token, 'x', randomUUID())).status).toBe(400);
  });

  it('validates content', async () => {
    expect((await comment(member.token, '   ')).status).toBe(400);
    expect((await comment(member.token, 'x'.repeat(20_001))).status).toBe(400);
  });

  it('only the author edits; edited_at is set', async () => {
    const mine = (await comment(member.token, 'typo')).json.data.id;
    expect((await call('PATCH', `/api/comments/${mine}`, { token: other.token, body: { content: 'hijack' } })).status).toBe(403);
    expect((await call('PATCH', `/api/comments/${mine}`, { token: admin.token, body: { content: 'hijack' } })).status).toBe(403);
    const edited = await call('PATCH', `/api/comments/${mine}`, { token: member.token, body: { content: 'fixed' } });
    expect(edited.status).toBe(200);
    expect(edited.json.data.content).toBe('fixed');
    expect(edited.json.data.edited_at).not.toBeNull();
  });

  it('authors delete their own; MEMBERs cannot delete others\'; MANAGER and ADMIN can', async () => {
    const a = (await comment(member.token, 'mine')).json.data.id;
    const b = (await comment(member.token, 'moderate me')).json.data.id;
    const c = (await comment(member.token, 'admin me')).json.data.id;
    expect((await call('DELETE', `/api/comments/${a}`, { token: other.token })).status).toBe(403);
    expect((await call('DELETE', `/api/comments/${a}`, { token: viewer.token })).status).toBe(403);
    const own = await call('DELETE', `/api/comments/${a}`, { token: member.token });
    expect(own.status).toBe(200);
    expect(own.json.data.deleted_at).not.toBeNull();
    expect(own.json.data.content).toBe('');
    expect((await call('DELETE', `/api/comments/${b}`, { token: manager.token })).status).toBe(200);
    expect((await call('DELETE', `/api/comments/${c}`, { token: admin.token })).status).toBe(200);
    const ids = JSON.stringify((await call('GET', `/api/tasks/${taskId}/comments`, { token: member.token })).json.data);
    for (const id of [a, b, c]) expect(ids).not.toContain(id);
  });

  it('a deleted comment with replies stays as an empty placeholder so the thread keeps its shape', async () => {
    const parent = (await comment(member.token, 'secret words')).json.data.id;
    const child = (await comment(other.token, 'still here', parent)).json.data.id;
    await call('DELETE', `/api/comments/${parent}`, { token: member.token });
    const tree = (await call('GET', `/api/tasks/${taskId}/comments`, { token: member.token })).json.data as { id: string; content: string; deleted_at: string | null; replies: { id: string }[] }[];
    const node = tree.find((n) => n.id === parent)!;
    expect(node.content).toBe('');
    expect(node.deleted_at).not.toBeNull();
    expect(node.replies.map((r) => r.id)).toEqual([child]);
    expect(JSON.stringify(tree)).not.toContain('secret words');
  });

  it('VIEWER reads but cannot comment; non-members get 404', async () => {
    expect((await comment(viewer.token, 'hi')).status).toBe(403);
    expect((await comment(stranger.token, 'hi')).status).toBe(404);
    expect((await call('GET', `/api/tasks/${taskId}/comments`, { token: stranger.token })).status).toBe(404);
    const some = (await comment(member.token, 'x')).json.data.id;
    expect((await call('PATCH', `/api/comments/${some}`, { token: stranger.token, body: { content: 'y' } })).status).toBe(404);
    expect((await call('DELETE', `/api/comments/${some}`, { token: stranger.token })).status).toBe(404);
    expect((await call('DELETE', '/api/comments/not-a-uuid', { token: member.token })).status).toBe(404);
  });

  it('a retried comment with the same Idempotency-Key is posted once', async () => {
    const key = randomUUID();
    const [a, b] = await Promise.all([comment(member.token, 'once', undefined, { 'idempotency-key': key }), comment(member.token, 'once', undefined, { 'idempotency-key': key })]);
    expect(a.json.data.id).toBe(b.json.data.id);
    const [row] = await h.db.sql<{ n: string }[]>`SELECT count(*) AS n FROM comments WHERE task_id = ${taskId} AND content = 'once'`;
    expect(Number(row?.n)).toBe(1);
  });
});

describe('buildTree', () => {
  const c = (id: string, parent_id: string | null, deleted = false) => ({
    id, parent_id, task_id: 't', project_id: 'p', author_id: null, author: null, content: deleted ? '' : id,
    created_at: '', edited_at: null, updated_at: '', deleted_at: deleted ? 'x' : null,
  });
  it('puts replies of unknown parents and cycles at the top level instead of losing them', () => {
    const tree = buildTree([c('a', 'b'), c('b', 'a'), c('orphan', 'missing')]);
    expect(tree.map((n) => n.id).sort()).toEqual(['a', 'b', 'orphan']);
  });
  it('drops deleted leaves, keeps deleted parents of live replies', () => {
    const tree = buildTree([c('p', null, true), c('r', 'p'), c('gone', null, true)]);
    expect(tree.map((n) => [n.id, n.replies.map((r) => r.id)])).toEqual([['p', ['r']]]);
  });
});
