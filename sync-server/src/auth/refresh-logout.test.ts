import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/fixtures.ts';
import { purgeEndedSessions } from './sessions.ts';

let t: TestApp;
let clock: number;
let n = 0;
const PASSWORD = 'violet canyon drum 7';
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  t = await createTestApp({ accessTokenTtl: 600, refreshTokenTtl: 30 * 24 * 3600 });
  t.deps.now = () => clock;
});
afterAll(() => t.close());
beforeEach(() => {
  clock = Date.now();
});

async function signUp() {
  const res = await t.call('POST', '/api/auth/register', {
    body: { email: `rl-${++n}@example.com`, password: PASSWORD, full_name: 'R L' },
  });
  expect(res.status).toBe(201);
  return res.json.data as { access_token: string; refresh_token: string; user: { id: string } };
}
const refresh = (refresh_token: string) => t.call('POST', '/api/auth/refresh', { body: { refresh_token } });
const me = (token: string) => t.call('GET', '/api/auth/me', { token });
const cookieValue = (setCookie: string | null) => /fb_refresh=([^;]*)/.exec(setCookie ?? '')?.[1];
const maxAge = (setCookie: string | null) => Number(/Max-Age=(\d+)/i.exec(setCookie ?? '')?.[1]);

describe('POST /api/auth/refresh', () => {
  it('rotates: returns a new access and refresh token, and the old refresh token is spent', async () => {
    const first = await signUp();
    const res = await refresh(first.refresh_token);
    expect(res.status).toBe(200);
    const next = res.json.data;
    expect(next.refresh_token).not.toBe(first.refresh_token);
    expect(next.access_token).not.toBe(first.access_token);
    expect(next.user.id).toBe(first.user.id);
    expect(next.expires_in).toBe(600);
    expect(cookieValue(res.headers.get('set-cookie'))).toBe(next.refresh_token);
    expect((await me(next.access_token)).status).toBe(200);
    // The rotated row is marked, its successor is live, both in one family.
    const rows = await t.sql<{ rotated_at: Date | null; family_id: string }[]>`
      SELECT rotated_at, family_id FROM auth_sessions WHERE user_id = ${first.user.id} ORDER BY created_at, rotated_at NULLS LAST`;
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.rotated_at !== null)).toHaveLength(1);
    expect(new Set(rows.map((r) => r.family_id)).size).toBe(1);
  });

  it('detects reuse: an already-rotated token revokes the whole family, including the newest tokens', async () => {
    const revoked: unknown[] = [];
    t.deps.events.on('session-revoked', (e) => revoked.push(e));
    const first = await signUp();
    const second = (await refresh(first.refresh_token)).json.data;
    const reuse = await refresh(first.refresh_token);
    expect(reuse.status).toBe(401);
    expect(reuse.json.error.details).toEqual({ reason: 'reused' });
    expect(revoked).toContainEqual({ userId: first.user.id, sessionId: expect.any(String) });
    expect((await refresh(second.refresh_token)).status).toBe(401);
    expect((await me(second.access_token)).status).toBe(401);
    expect((await me(first.access_token)).status).toBe(401);
  });

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const first = await signUp();
    const results = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('keeps other sessions of the same user alive when one family is revoked', async () => {
    const first = await signUp();
    const other = await t.call('POST', '/api/auth/login', { body: { email: `rl-${n}@example.com`, password: PASSWORD } });
    await refresh(first.refresh_token);
    await refresh(first.refresh_token); // reuse -> revokes only the first family
    expect((await me(other.json.data.access_token)).status).toBe(200);
    expect((await refresh(other.json.data.refresh_token)).status).toBe(200);
  });

  it('ends the family at its absolute expiry (login + REFRESH_TOKEN_TTL), however often it was refreshed', async () => {
    const start = clock;
    let tokens = await signUp();
    clock = start + 29 * DAY;
    const late = await refresh(tokens.refresh_token);
    expect(late.status).toBe(200);
    // The cookie lives exactly as long as the family: one day left, not a fresh 30.
    expect(maxAge(late.headers.get('set-cookie'))).toBe(24 * 3600);
    tokens = late.json.data;
    clock = start + 30 * DAY + 1000;
    const expired = await refresh(tokens.refresh_token);
    expect(expired.status).toBe(401);
    expect(expired.json.error.details).toEqual({ reason: 'ended' });
    expect((await me(tokens.access_token)).status).toBe(401);
  });

  it('purges rows of families that ended more than a day ago, and only those', async () => {
    const start = clock;
    const old = await signUp();
    clock = start + 10 * DAY;
    const recent = await signUp();
    const purged = await purgeEndedSessions(t.sql, start + 31 * DAY + 1000);
    expect(purged).toBeGreaterThanOrEqual(1);
    const left = await t.sql<{ user_id: string }[]>`SELECT user_id FROM auth_sessions WHERE user_id IN (${old.user.id}, ${recent.user.id})`;
    expect(left.map((r) => r.user_id)).toEqual([recent.user.id]);
  });

  it('refuses an expired access token while the refresh token still works', async () => {
    const start = clock;
    const tokens = await signUp();
    clock = start + 601_000;
    const expired = await me(tokens.access_token);
    expect(expired.status).toBe(401);
    expect(expired.json.error.details).toEqual({ reason: 'expired' });
    const renewed = await refresh(tokens.refresh_token);
    expect(renewed.status).toBe(200);
    expect((await me(renewed.json.data.access_token)).status).toBe(200);
  });

  it.each([
    ['an unknown token', { refresh_token: 'x'.repeat(43) }, 401],
    ['no token and no cookie', {}, 401],
    ['an empty token', { refresh_token: '' }, 400],
    ['a non-string token', { refresh_token: 42 }, 400],
  ])('refuses %s', async (_name, body, status) => {
    const res = await t.call('POST', '/api/auth/refresh', { body });
    expect(res.status).toBe(status);
  });

  it('refuses an access token presented as a refresh token', async () => {
    const tokens = await signUp();
    expect((await refresh(tokens.access_token)).status).toBe(401);
  });

  it('accepts the cookie only together with X-Requested-With: fieldboard', async () => {
    const tokens = await signUp();
    const cookie = `fb_refresh=${tokens.refresh_token}`;
    const noHeader = await t.call('POST', '/api/auth/refresh', { headers: { cookie } });
    expect(noHeader.status).toBe(403);
    expect(noHeader.json.error.message).toContain('X-Requested-With');
    const ok = await t.call('POST', '/api/auth/refresh', { headers: { cookie, 'x-requested-with': 'fieldboard' } });
    expect(ok.status).toBe(200);
    expect(cookieValue(ok.headers.get('set-cookie'))).toBe(ok.json.data.refresh_token);
  });
});

describe('POST /api/auth/logout', () => {
  it('with the bearer token: revokes the session, clears the cookie, and the access token stops working', async () => {
    const events: unknown[] = [];
    t.deps.events.on('session-revoked', (e) => events.push(e));
    const tokens = await signUp();
    const res = await t.call('POST', '/api/auth/logout', { token: tokens.access_token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ success: true, data: null, message: 'Signed out' });
    expect(res.headers.get('set-cookie')).toMatch(/fb_refresh=;.*Max-Age=0/i);
    expect(events).toContainEqual({ userId: tokens.user.id, sessionId: expect.any(String) });
    expect((await me(tokens.access_token)).status).toBe(401);
    expect((await refresh(tokens.refresh_token)).status).toBe(401);
    // A second logout with the dead token is refused, not silently accepted.
    expect((await t.call('POST', '/api/auth/logout', { token: tokens.access_token })).status).toBe(401);
  });

  it('with the cookie (browser, access token lost): revokes that family', async () => {
    const tokens = await signUp();
    const res = await t.call('POST', '/api/auth/logout', {
      headers: { cookie: `fb_refresh=${tokens.refresh_token}`, 'x-requested-with': 'fieldboard' },
    });
    expect(res.status).toBe(200);
    expect((await me(tokens.access_token)).status).toBe(401);
  });

  it('with the refresh token in the body revokes that family', async () => {
    const tokens = await signUp();
    expect((await t.call('POST', '/api/auth/logout', { body: { refresh_token: tokens.refresh_token } })).status).toBe(200);
    expect((await refresh(tokens.refresh_token)).status).toBe(401);
  });

  it.each([
    ['nothing', {}, 401],
    ['a bad bearer token', { token: 'nope' }, 401],
    ['an unknown refresh token', { body: { refresh_token: 'y'.repeat(43) } }, 401],
    ['a cookie without X-Requested-With', { headers: { cookie: 'fb_refresh=abc' } }, 403],
  ])('refuses %s', async (_name, opts, status) => {
    expect((await t.call('POST', '/api/auth/logout', opts)).status).toBe(status);
  });
});
