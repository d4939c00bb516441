import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const USER = { id: '0b8f1c9e-2222-4333-8444-955555555555', email: 'ria@example.com', full_name: 'Ria Rivers', avatar_url: null, is_instance_admin: false };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}
const authResult = (token: string) => ({ success: true, data: { user: USER, access_token: token, refresh_token: 'RT-secret-never-stored', expires_in: 3600 } });

/** A fresh copy of the session module (its state is per page load). */
async function loadSession() {
  vi.resetModules();
  return import('./session.ts');
}

beforeEach(() => localStorage.clear());
afterEach(async () => {
  vi.unstubAllGlobals();
  await Dexie.delete(`fieldboard-${USER.id}`);
});

describe('session', () => {
  it('keeps the profile for offline start but never the refresh token, and sends the anti-CSRF header', async () => {
    const calls: { path: string; headers: Headers; credentials?: RequestCredentials }[] = [];
    vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
      calls.push({ path, headers: new Headers(init.headers), credentials: init.credentials });
      return json(200, authResult('AT-1'));
    });
    const { login, useSession } = await loadSession();
    await login({ email: USER.email, password: 'correct horse battery' });
    expect(useSession.getState()).toMatchObject({ status: 'authenticated', accessToken: 'AT-1', offline: false, user: { id: USER.id } });
    const stored = JSON.stringify({ ...localStorage });
    expect(stored).toContain(USER.email);
    expect(stored).not.toContain('RT-secret-never-stored');
    expect(stored).not.toContain('AT-1');
    expect(calls[0].headers.get('X-Requested-With')).toBe('fieldboard');
    expect(calls[0].credentials).toBe('same-origin');
  });

  it('opens signed in from the last profile when the server is unreachable, then goes online when it answers', async () => {
    localStorage.setItem('fieldboard.lastUser', JSON.stringify(USER));
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const { initSession, useSession, getAccessToken } = await loadSession();
    await initSession();
    expect(useSession.getState()).toMatchObject({ status: 'authenticated', offline: true, accessToken: null, user: { id: USER.id } });
    expect(await getAccessToken()).toBeNull();

    vi.stubGlobal('fetch', async (path: string) => (path === '/api/auth/refresh' ? json(200, authResult('AT-2')) : json(404, {})));
    expect(await getAccessToken()).toBe('AT-2');
    expect(useSession.getState()).toMatchObject({ status: 'authenticated', offline: false, accessToken: 'AT-2' });
  });

  it('a refused refresh signs out of the server session but keeps local data for the next sign-in', async () => {
    localStorage.setItem('fieldboard.lastUser', JSON.stringify(USER));
    vi.stubGlobal('fetch', async () => json(401, { success: false, error: { code: 'UNAUTHORIZED', message: 'Session ended' } }));
    const { initSession, useSession } = await loadSession();
    const { userDb } = await import('../db/database.ts');
    await initSession();
    await userDb(USER.id).projects.count();
    expect(useSession.getState().status).toBe('anonymous');
    expect(await Dexie.exists(`fieldboard-${USER.id}`)).toBe(true);
  });

  it('sign-out warns while changes are unsaved, and deletes the local database when forced', async () => {
    const paths: string[] = [];
    vi.stubGlobal('fetch', async (path: string) => {
      paths.push(path);
      return path === '/api/auth/logout' ? json(200, { success: true, data: null }) : json(200, authResult('AT-3'));
    });
    const { login, logout, useSession, UnsavedChangesError, hasUnsavedChanges } = await loadSession();
    const { userDb } = await import('../db/database.ts');
    await login({ email: USER.email, password: 'correct horse battery' });
    await userDb(USER.id).pendingChanges.add({ projectId: 'p', clientId: 1, clock: 3, deleteOnly: 0, tabId: 't', createdAt: 0 });
    expect(await hasUnsavedChanges()).toBe(true);

    const refused = await logout().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnsavedChangesError);
    expect((refused as InstanceType<typeof UnsavedChangesError>).count).toBe(1);
    expect(useSession.getState().status).toBe('authenticated');
    expect(await Dexie.exists(`fieldboard-${USER.id}`)).toBe(true);

    await logout({ force: true });
    expect(paths).toContain('/api/auth/logout');
    expect(useSession.getState()).toMatchObject({ status: 'anonymous', user: null, accessToken: null });
    expect(localStorage.getItem('fieldboard.lastUser')).toBeNull();
    expect(await Dexie.exists(`fieldboard-${USER.id}`)).toBe(false);
  });
});

describe('stored and received shapes', () => {
  it('accepts a user as the API sends it and drops unknown fields', async () => {
    const { parseUser } = await loadSession();
    expect(parseUser({ ...USER, password_hash: 'x' })).toEqual(USER);
    expect(parseUser({ id: 'u1', email: 'a@b.c', full_name: '' })).toEqual({ id: 'u1', email: 'a@b.c', full_name: '' });
  });

  it('refuses anything else', async () => {
    const { parseUser, parseAuthResult } = await loadSession();
    for (const bad of [null, [], 'u1', { ...USER, id: '' }, { ...USER, id: 7 }, { ...USER, email: null }, { ...USER, full_name: undefined }, { ...USER, avatar_url: 3 }, { ...USER, is_instance_admin: 'yes' }]) {
      expect(parseUser(bad)).toBeNull();
    }
    const ok = { user: USER, access_token: 'AT', expires_in: 900 };
    expect(parseAuthResult(ok)).toEqual(ok);
    for (const bad of [{ ...ok, access_token: '' }, { ...ok, expires_in: 0 }, { ...ok, expires_in: Number.NaN }, { ...ok, expires_in: '900' }, { ...ok, user: { id: 'u1' } }, null]) {
      expect(parseAuthResult(bad)).toBeNull();
    }
  });

  it('starts anonymous when the stored profile is not a user', async () => {
    localStorage.setItem('fieldboard.lastUser', JSON.stringify({ id: 42, email: 'x' }));
    vi.stubGlobal('fetch', async () => json(503, {}));
    const { initSession, useSession } = await loadSession();
    await initSession();
    expect(useSession.getState().status).toBe('anonymous');
  });
});

