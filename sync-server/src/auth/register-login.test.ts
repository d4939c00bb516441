import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, TEST_PASSWORD, type TestApp } from '../test/fixtures.ts';

let t: TestApp;
let ipCounter = 0;
/** trustProxy is on in this file, so each test can act from its own address and keep throttles apart. */
const fromIp = () => ({ 'x-forwarded-for': `10.1.0.${++ipCounter}` });
const PASSWORD = 'plum tree orbit 42';

beforeAll(async () => {
  t = await createTestApp({ trustProxy: true });
});
afterAll(() => t.close());

const register = (body: unknown, headers: Record<string, string> = fromIp()) => t.call('POST', '/api/auth/register', { body, headers });
const login = (body: unknown, headers: Record<string, string> = fromIp()) => t.call('POST', '/api/auth/login', { body, headers });

describe('POST /api/auth/register', () => {
  it('makes the first user of an empty instance the instance admin, and nobody after', async () => {
    const first = await register({ email: '  First@Example.COM ', password: PASSWORD, full_name: '  Ada Admin ' });
    expect(first.status).toBe(201);
    expect(first.json.success).toBe(true);
    const { user, access_token, refresh_token, expires_in } = first.json.data;
    expect(user).toMatchObject({ email: 'first@example.com', full_name: 'Ada Admin', is_instance_admin: true, is_active: true, avatar_url: null });
    expect(Object.keys(user).sort()).toEqual(['avatar_url', 'created_at', 'email', 'full_name', 'id', 'is_active', 'is_instance_admin', 'updated_at']);
    expect(typeof access_token).toBe('string');
    expect(typeof refresh_token).toBe('string');
    expect(expires_in).toBe(3600);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`fb_refresh=${refresh_token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toContain('Path=/api/auth');
    expect(cookie).not.toMatch(/Secure/i);

    const second = await register({ email: 'second@example.com', password: PASSWORD, full_name: 'Bo' });
    expect(second.status).toBe(201);
    expect(second.json.data.user.is_instance_admin).toBe(false);
    // Nobody chooses their own role: the field is not part of the request and is ignored.
    const third = await register({ email: 'third@example.com', password: PASSWORD, full_name: 'Cy', is_instance_admin: true });
    expect(third.status).toBe(201);
    expect(third.json.data.user.is_instance_admin).toBe(false);
    const [count] = await t.sql<{ admins: number }[]>`SELECT count(*)::int AS admins FROM users WHERE is_instance_admin`;
    expect(count!.admins).toBe(1);

    const me = await t.call('GET', '/api/auth/me', { token: access_token });
    expect(me.status).toBe(200);
    expect(me.json.data).toEqual(user);
  });

  it('marks the cookie Secure when a trusted proxy says the request came over https', async () => {
    const res = await register({ email: 'secure@example.com', password: PASSWORD, full_name: 'S' }, { ...fromIp(), 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(201);
    expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it('refuses a duplicate email, whatever its case, with 409', async () => {
    await register({ email: 'dup@example.com', password: PASSWORD, full_name: 'A' });
    const res = await register({ email: 'DUP@example.com', password: PASSWORD, full_name: 'B' });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('CONFLICT');
  });

  it.each([
    ['missing body fields', {}, ['email', 'password', 'full_name']],
    ['bad email', { email: 'not-an-email', password: PASSWORD, full_name: 'X' }, ['email']],
    ['short password', { email: 'a@example.com', password: 'short12', full_name: 'X' }, ['password']],
    ['7 code points of 2 UTF-16 units each', { email: 'a@example.com', password: '😀😀😀😀😀😀😀', full_name: 'X' }, ['password']],
    ['129-character password', { email: 'a@example.com', password: 'x'.repeat(129), full_name: 'X' }, ['password']],
    ['common password', { email: 'a@example.com', password: 'Password123', full_name: 'X' }, ['password']],
    ['blank full_name', { email: 'a@example.com', password: PASSWORD, full_name: '   ' }, ['full_name']],
    ['101-character full_name', { email: 'a@example.com', password: PASSWORD, full_name: 'n'.repeat(101) }, ['full_name']],
    ['a line break in full_name', { email: 'a@example.com', password: PASSWORD, full_name: 'Eve\nAdmin' }, ['full_name']],
    ['password equal to the email', { email: 'self@example.com', password: 'self@example.com', full_name: 'X' }, ['password']],
  ])('answers 400 with field details for %s', async (_name, body, fields) => {
    const res = await register(body);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_ERROR');
    const detailFields = (res.json.error.details as { field: string }[]).map((d) => d.field);
    for (const field of fields) expect(detailFields).toContain(field);
  });

  it('says why a common password is refused', async () => {
    const res = await register({ email: 'c@example.com', password: 'iloveyou123', full_name: 'X' });
    expect(res.json.error.message).toMatch(/commonly used/);
  });

  it('accepts 8 emoji (8 code points) and 128-character passwords, without composition rules', async () => {
    expect((await register({ email: 'emoji@example.com', password: '😀🍐🚲🌍🎈🔑🧭🪴', full_name: 'E' })).status).toBe(201);
    expect((await register({ email: 'long@example.com', password: 'a'.repeat(127) + 'b', full_name: 'L' })).status).toBe(201);
    expect((await login({ email: 'emoji@example.com', password: '😀🍐🚲🌍🎈🔑🧭🪴' })).status).toBe(200);
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await t.call('POST', '/api/auth/register', { body: '{"email":', headers: fromIp() });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_ERROR');
  });
});

describe('POST /api/auth/login', () => {
  it('signs in with the right password (email case and spaces ignored) and starts a new session', async () => {
    const user = await createUser(t, { email: 'login-ok@example.com' });
    const res = await login({ email: ' Login-OK@example.com', password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.json.data.user.id).toBe(user.id);
    expect(res.json.data.refresh_token).not.toBe(user.refreshToken);
    expect(res.headers.get('set-cookie')).toContain('fb_refresh=');
    const me = await t.call('GET', '/api/auth/me', { token: res.json.data.access_token });
    expect(me.json.data.email).toBe('login-ok@example.com');
  });

  it('gives the same 401 for an unknown email and a wrong password', async () => {
    await createUser(t, { email: 'login-bad@example.com' });
    const wrongPassword = await login({ email: 'login-bad@example.com', password: 'not the password' });
    const unknownEmail = await login({ email: 'nobody-here@example.com', password: 'not the password' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(unknownEmail.json).toEqual(wrongPassword.json);
  });

  it('takes about as long for an unknown email as for a wrong password (both run Argon2)', async () => {
    await createUser(t, { email: 'timing@example.com' });
    const time = async (email: string) => {
      const start = performance.now();
      await login({ email, password: 'definitely wrong' });
      return performance.now() - start;
    };
    await time('timing@example.com'); // warm-up (dummy hash, JIT)
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      wrong.push(await time('timing@example.com'));
      unknown.push(await time(`ghost-${i}@example.com`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    expect(median(wrong)).toBeGreaterThan(10);
    expect(median(unknown)).toBeGreaterThan(10);
    expect(median(unknown) / median(wrong)).toBeGreaterThan(1 / 3);
    expect(median(unknown) / median(wrong)).toBeLessThan(3);
  });

  it('answers 400 with field details for a missing password', async () => {
    const res = await login({ email: 'x@example.com' });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].field).toBe('password');
  });
});

describe('GET /api/auth/me', () => {
  it.each([
    ['no token', undefined],
    ['garbage token', 'not.a.jwt'],
  ])('answers 401 with %s', async (_name, token) => {
    const res = await t.call('GET', '/api/auth/me', token ? { token } : {});
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('UNAUTHORIZED');
  });
});
