// Tags over REST: project vocabulary, set on tasks with PATCH tag_ids, usable as a list filter.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncHarness, type SyncHarness } from '../sync/test-sync-server.ts';
import { apiClient } from '../tasks/test-api.ts';
import type { TestUser } from '../test/fixtures.ts';

let h: SyncHarness;
let call: ReturnType<typeof apiClient>;
let member: TestUser, viewer: TestUser, stranger: TestUser;
let projectId: string;

beforeAll(async () => {
  h = await startSyncHarness();
  call = apiClient(h);
  [member, viewer, stranger] = await Promise.all([h.user(), h.user(), h.user()]);
  projectId = await h.project([[member, 'ADMIN'], [viewer, 'VIEWER']]);
});
afterAll(() => h.close());

const newTag = (name: string, color?: string | null, token = member.token) =>
  call('POST', `/api/projects/${projectId}/tags`, { token, body: color === undefined ? { name } : { name, color } });

describe('tags', () => {
  it('creates, lists by name, renames and recolors', async () => {
    const bug = await newTag('bug', '#ff0000');
    expect(bug.status).toBe(201);
    expect(bug.json.data).toMatchObject({ project_id: projectId, name: 'bug', color: '#ff0000' });
    await newTag('Alpha');
    const listed = await call('GET', `/api/projects/${projectId}/tags`, { token: viewer.token });
    expect(listed.json.data.map((t: { name: string }) => t.name)).toEqual(['Alpha', 'bug']);
    const renamed = await call('PATCH', `/api/tags/${bug.json.data.id}`, { token: member.token, body: { name: 'Bug', color: null } });
    expect(renamed.status).toBe(200);
    expect(renamed.json.data).toMatchObject({ name: 'Bug', color: null });
  });

  it('names are unique per project, case-insensitively (409)', async () => {
    await newTag('docs');
    const dup = await newTag('DOCS');
    expect(dup.status).toBe(409);
    const other = (await newTag('other')).json.data.id;
    expect((await call('PATCH', `/api/tags/${other}`, { token: member.token, body: { name: 'Docs' } })).status).toBe(409);
  });

  it('validates name and color', async () => {
    expect((await newTag('')).status).toBe(400);
    expect((await newTag('x'.repeat(51))).status).toBe(400);
    expect((await newTag('ok', 'red')).status).toBe(400);
    expect((await call('PATCH', `/api/tags/${randomUUID()}`, { token: member.token, body: {} })).status).toBe(400);
  });

  it('tags are set on tasks through PATCH tag_ids and filter the task list by id or name', async () => {
    const ui = (await newTag('ui')).json.data.id;
    const api = (await newTag('api')).json.data.id;
    const t1 = (await call('POST', `/api/projects/${projectId}/tasks`, { token: member.token, body: { title: 'Tagged', tag_ids: [ui] } })).json.data;
    expect(t1.tag_ids).toEqual([ui]);
    const t2 = (await call('POST', `/api/projects/${projectId}/tasks`, { token: member.token, body: { title: 'Untagged' } })).json.data;
    const patched = await call('PATCH', `/api/tasks/${t2.id}`, { token: member.token, body: { tag_ids: [api, ui] } });
    expect(patched.status).toBe(200);
    expect([...patched.json.data.tag_ids].sort()).toEqual([api, ui].sort());

    const byName = await call('GET', `/api/projects/${projectId}/tasks?tag=UI`, { token: viewer.token });
    expect(byName.json.data.map((t: { id: string }) => t.id).sort()).toEqual([t1.id, t2.id].sort());
    const byId = await call('GET', `/api/projects/${projectId}/tasks?tag=${api}`, { token: viewer.token });
    expect(byId.json.data.map((t: { id: string }) => t.id)).toEqual([t2.id]);

    // Unknown tag ids are refused; removing all tags works.
    expect((await call('PATCH', `/api/tasks/${t2.id}`, { token: member.token, body: { tag_ids: [randomUUID()] } })).status).toBe(400);
    expect((await call('PATCH', `/api/tasks/${t2.id}`, { token: member.token, body: { tag_ids: [ui, ui] } })).status).toBe(400);
    expect((await call('PATCH', `/api/tasks/${t2.id}`, { token: member.token, body: { tag_ids: [] } })).json.data.tag_ids).toEqual([]);

    // A deleted tag leaves the list and its tasks.
    const deleted = await call('DELETE', `/api/tags/${ui}`, { token: member.token });
    expect(deleted.status).toBe(200);
    expect((await call('GET', `/api/tasks/${t1.id}`, { token: member.token })).json.data.tag_ids).toEqual([]);
    expect((await call('GET', `/api/projects/${projectId}/tags`, { token: member.token })).json.data.map((t: { id: string }) => t.id)).not.toContain(ui);
    expect((await call('GET', `/api/projects/${projectId}/tasks?tag=ui`, { token: member.token })).json.data).toEqual([]);
    expect((await call('PATCH', `/api/tags/${ui}`, { token: member.token, body: { name: 'again' } })).status).toBe(404);
  });

  it('VIEWER cannot write tags (403); non-members get 404', async () => {
    const tag = (await newTag('guarded')).json.data.id;
    expect((await newTag('nope', undefined, viewer.token)).status).toBe(403);
    expect((await call('PATCH', `/api/tags/${tag}`, { token: viewer.token, body: { name: 'x' } })).status).toBe(403);
    expect((await call('DELETE', `/api/tags/${tag}`, { token: viewer.token })).status).toBe(403);
    expect((await call('GET', `/api/projects/${projectId}/tags`, { token: stranger.token })).status).toBe(404);
    expect((await newTag('nope', undefined, stranger.token)).status).toBe(404);
    expect((await call('PATCH', `/api/tags/${tag}`, { token: stranger.token, body: { name: 'x' } })).status).toBe(404);
    expect((await call('DELETE', `/api/tags/${tag}`, { token: stranger.token })).status).toBe(404);
  });
});
