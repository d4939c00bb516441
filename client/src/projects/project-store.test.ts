import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokenSource } from '../api/http.ts';
import { deleteUserDb, userDb } from '../db/database.ts';
import { loadUpdates } from '../db/update-store.ts';
import { countUnsaved } from '../db/unsaved-count.ts';
import { createProject, registerPendingProjects } from './project-store.ts';

const USER = '8a3c6d0e-1111-4222-8333-944444444444';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function serverProject(body: Record<string, unknown>) {
  const now = new Date().toISOString();
  return { description: '', status: 'ACTIVE', color: null, start_date: null, end_date: null, ...body, created_by: USER, created_at: now, updated_at: now, my_role: 'ADMIN' };
}

let userId: string;
beforeEach(() => {
  userId = crypto.randomUUID();
  userDb(userId);
  setTokenSource({ getToken: async () => 'tok', refresh: async () => null });
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await deleteUserDb(userId);
});

describe('offline project registration queue', () => {
  it('creates a project offline, counts it unsaved, and registers it with the same id on reconnect', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const record = await createProject({ name: 'Field office' }, USER);
    await registerPendingProjects();
    const db = userDb(userId);
    expect((await db.projects.get(record.id))?.pending).toBe(1);
    expect(await countUnsaved(db)).toBe(1);
    // The project's document exists locally (schema version written) before the server knows it.
    expect((await loadUpdates(db, record.id)).length).toBe(1);

    const posted: unknown[] = [];
    vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
      expect(path).toBe('/api/projects');
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      posted.push(body);
      return json(201, { success: true, data: serverProject(body) });
    });
    expect(await registerPendingProjects()).toEqual({ registered: 1, failed: 0 });
    expect(posted).toEqual([expect.objectContaining({ id: record.id, name: 'Field office' })]);
    const after = await db.projects.get(record.id);
    expect(after?.pending).toBe(0);
    expect(after?.role).toBe('ADMIN');
    expect(await countUnsaved(db)).toBe(0);
  });

  it('keeps retrying after server errors but marks a conflict as failed instead of retrying forever', async () => {
    vi.stubGlobal('fetch', async () => json(503, { success: false, error: { code: 'INTERNAL', message: 'down' } }));
    const a = await createProject({ name: 'A' }, USER);
    await registerPendingProjects();
    const db = userDb(userId);
    expect((await db.projects.get(a.id))?.pending_error).toBeNull();

    let calls = 0;
    vi.stubGlobal('fetch', async () => {
      calls++;
      return json(409, { success: false, error: { code: 'CONFLICT', message: 'A project with this id already exists' } });
    });
    expect(await registerPendingProjects()).toEqual({ registered: 0, failed: 1 });
    expect((await db.projects.get(a.id))?.pending_error).toBe('A project with this id already exists');
    await registerPendingProjects();
    expect(calls).toBe(1);
  });

  it('refuses invalid input locally with the server rules', async () => {
    vi.stubGlobal('fetch', async () => json(500, {}));
    await expect(createProject({ name: '   ' }, USER)).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(createProject({ name: 'x', start_date: '2026-05-02', end_date: '2026-05-01' }, USER)).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});
