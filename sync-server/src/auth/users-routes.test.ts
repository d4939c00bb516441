import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, createTestApp, createUser, TEST_PASSWORD, type TestApp, type TestUser } from '../test/fixtures.ts';

let t: TestApp;
let admin: TestUser;
let member: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { email: 'admin@example.com', full_name: 'Ada Admin', is_instance_admin: true });
  member = await createUser(t, { email: 'member@example.com', full_name: 'Mo Member' });
});
afterAll(() => t.close());

const patch = (id: string, body: unknown, token = admin.token) => t.call('PATCH', `/api/users/${id}`, { token, body });

describe('PATCH /api/users/:id', () => {
  it('deactivation revokes every session at once, emits user-deactivated, and blocks login', async () => {
    const target = await createUser(t, { email: 'leaver@example.com' });
    const second = await createSession(t, target.id);
    const events: unknown[] = [];
    t.deps.events.on('user-deactivated', (e) => events.push(e));
    expect((await t.call('GET', '/api/auth/me', { token: target.token })).status).toBe(200);

    const res = await patch(target.id, { is_active: false });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ id: target.id, is_active: false });
    expect(events).toEqual([{ userId: target.id }]);

    for (const token of [target.token, second.token]) {
      expect((await t.call('GET', '/api/auth/me', { token })).status).toBe(401);
    }
    for (const refresh_token of [target.refreshToken, second.refreshToken]) {
      expect((await t.call('POST', '/api/auth/refresh', { body: { refresh_token } })).status).toBe(401);
    }
    const live = await t.sql`SELECT 1 FROM auth_sessions WHERE user_id = ${target.id} AND revoked_at IS NULL`;
    expect(live).toHaveLength(0);

    const login = await t.call('POST', '/api/auth/login', { body: { email: target.email, password: TEST_PASSWORD } });
    expect(login.status).toBe(401);
    expect(login.json.error.message).toMatch(/deactivated/);
    // A wrong password still gets the generic answer: only the password holder learns about deactivation.
    const wrong = await t.call('POST', '/api/auth/login', { body: { email: target.email, password: 'wrong password' } });
    expect(wrong.json.error.message).toBe('Incorrect email or password');

    const back = await patch(target.id, { is_active: true });
    expect(back.json.data.is_active).toBe(true);
    expect((await t.call('POST', '/api/auth/login', { body: { email: target.email, password: TEST_PASSWORD } })).status).toBe(200);
    // Reactivation does not bring old sessions back.
    expect((await t.call('GET', '/api/auth/me', { token: target.token })).status).toBe(401);
  });

  it.each([
    ['a non-admin', () => patch(admin.id, { is_active: false }, member.token), 403],
    ['no token', () => t.call('PATCH', `/api/users/${member.id}`, { body: { is_active: false } }), 401],
    ['a non-UUID id', () => patch('not-a-uuid', { is_active: false }), 404],
    ['an unknown id', () => patch(randomUUID(), { is_active: false }), 404],
    ['a non-boolean is_active', () => patch(member.id, { is_active: 'no' }), 400],
    ['an unknown field (nobody sets their own role)', () => patch(member.id, { is_active: true, is_instance_admin: true }), 400],
    ['deactivating oneself', () => patch(admin.id, { is_active: false }), 409],
  ] as const)('refuses %s', async (_name, call, status) => {
    const res = await call();
    expect(res.status).toBe(status);
    expect(res.json.success).toBe(false);
  });

  it('leaves the target untouched when refused', async () => {
    await patch(member.id, { is_active: false }, member.token);
    const [row] = await t.sql<{ is_active: boolean }[]>`SELECT is_active FROM users WHERE id = ${member.id}`;
    expect(row!.is_active).toBe(true);
  });
});

describe('GET /api/users', () => {
  it('lists users for an instance admin, with search and pagination', async () => {
    const all = await t.call('GET', '/api/users?per_page=2', { token: admin.token });
    expect(all.status).toBe(200);
    expect(all.json.data).toHaveLength(2);
    expect(all.json.pagination).toMatchObject({ page: 1, per_page: 2 });
    expect(all.json.pagination.total).toBeGreaterThanOrEqual(3);
    expect(all.json.data[0]).not.toHaveProperty('password_hash');

    const found = await t.call('GET', '/api/users?search=MO%20MEM', { token: admin.token });
    expect(found.json.data.map((u: { email: string }) => u.email)).toEqual(['member@example.com']);
    // LIKE wildcards are literal.
    expect((await t.call('GET', '/api/users?search=%25', { token: admin.token })).json.data).toEqual([]);
  });

  it.each([
    ['a non-admin', { token: () => member.token, query: '' }, 403],
    ['per_page over 100', { token: () => admin.token, query: '?per_page=101' }, 400],
    ['page 0', { token: () => admin.token, query: '?page=0' }, 400],
  ])('refuses %s', async (_name, { token, query }, status) => {
    expect((await t.call('GET', `/api/users${query}`, { token: token() })).status).toBe(status);
  });
});

describe('OpenAPI document', () => {
  it('describes every auth and users route with its schemas and the bearer scheme', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).json;
    const ops = {
      'post /api/auth/register': 'RegisterRequest',
      'post /api/auth/login': 'LoginRequest',
      'post /api/auth/refresh': 'RefreshTokenRequest',
      'post /api/auth/logout': 'RefreshTokenRequest',
      'patch /api/users/{id}': 'UpdateUserRequest',
    };
    for (const [op, schema] of Object.entries(ops)) {
      const [method, path] = op.split(' ') as [string, string];
      expect(doc.paths[path][method].requestBody.content['application/json'].schema.$ref).toBe(`#/components/schemas/${schema}`);
    }
    expect(doc.paths['/api/auth/register'].post.responses['201']).toBeDefined();
    expect(doc.paths['/api/auth/login'].post.responses['429']).toBeDefined();
    expect(doc.paths['/api/auth/me'].get.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/api/users'].get.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.schemas.User.properties).not.toHaveProperty('password_hash');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
