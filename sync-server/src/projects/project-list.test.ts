import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../test/fixtures.ts';

let t: TestApp;
let carol: TestUser;
let dave: TestUser;
const ids: Record<string, string> = {};

/** Carol's projects, with fixed timestamps so every sort order is known in advance. */
const FIXTURE = [
  { name: 'alpha', status: 'ACTIVE', description: 'first one', created: '2026-01-01', updated: '2026-01-05' },
  { name: 'Bravo', status: 'PLANNING', description: '100% done', created: '2026-01-02', updated: '2026-01-04' },
  { name: 'charlie', status: 'ON_HOLD', description: 'snake_case here', created: '2026-01-03', updated: '2026-01-03' },
  { name: 'Delta', status: 'ARCHIVED', description: 'plain', created: '2026-01-04', updated: '2026-01-02' },
  { name: 'echo 50%', status: 'ACTIVE', description: 'snakeXcase', created: '2026-01-05', updated: '2026-01-01' },
] as const;

beforeAll(async () => {
  t = await createTestApp();
  carol = await createUser(t);
  dave = await createUser(t);
  for (const p of FIXTURE) {
    const res = await t.call('POST', '/api/projects', { token: carol.token, body: { name: p.name, status: p.status, description: p.description } });
    ids[p.name] = res.json.data.id;
    await t.sql`UPDATE projects SET created_at = ${p.created}::timestamptz, updated_at = ${p.updated}::timestamptz WHERE id = ${res.json.data.id}`;
  }
  // Noise that Carol must never see: Dave's own project, and one of Carol's that is deleted.
  await t.call('POST', '/api/projects', { token: dave.token, body: { name: 'alpha (dave)' } });
  const gone = await t.call('POST', '/api/projects', { token: carol.token, body: { name: 'alpha deleted' } });
  await t.call('DELETE', `/api/projects/${gone.json.data.id}`, { token: carol.token });
});
afterAll(() => t.close());

async function list(query: string, user = carol) {
  const res = await t.call('GET', `/api/projects${query}`, { token: user.token });
  return res;
}
const names = (res: { json: { data: { name: string }[] } }) => res.json.data.map((p) => p.name);

describe('GET /api/projects', () => {
  it('lists only live projects I belong to, newest update first, each with my_role', async () => {
    const res = await list('');
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(['alpha', 'Bravo', 'charlie', 'Delta', 'echo 50%']);
    expect(res.json.data.every((p: { my_role: string }) => p.my_role === 'ADMIN')).toBe(true);
    expect(res.json.pagination).toEqual({ page: 1, per_page: 20, total: 5, pages: 1 });
  });

  it('shows a project to a new member with their role', async () => {
    await t.call('POST', `/api/projects/${ids.Delta}/members`, { token: carol.token, body: { user_id: dave.id, role: 'VIEWER' } });
    const res = await list('?search=delta', dave);
    expect(res.json.data).toEqual([expect.objectContaining({ name: 'Delta', my_role: 'VIEWER' })]);
  });

  it('paginates, including a page beyond the end', async () => {
    const first = await list('?per_page=2&page=1');
    expect(names(first)).toEqual(['alpha', 'Bravo']);
    expect(first.json.pagination).toEqual({ page: 1, per_page: 2, total: 5, pages: 3 });
    expect(names(await list('?per_page=2&page=2'))).toEqual(['charlie', 'Delta']);
    expect(names(await list('?per_page=2&page=3'))).toEqual(['echo 50%']);
    const beyond = await list('?per_page=2&page=4');
    expect(beyond.status).toBe(200);
    expect(beyond.json.data).toEqual([]);
    expect(beyond.json.pagination).toEqual({ page: 4, per_page: 2, total: 5, pages: 3 });
  });

  it.each([
    ['per_page=101', 'per_page'],
    ['per_page=0', 'per_page'],
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=abc', 'page'],
    ['per_page=2.5', 'per_page'],
    ['status=DONE', 'status'],
    ['status=ACTIVE,NOPE', 'status'],
    ['sort=password_hash', 'sort'],
    ['sort=-id', 'sort'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const res = await list(`?${query}`);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_ERROR');
    expect(res.json.error.details[0].field).toContain(field);
  });

  it('accepts per_page=100', async () => {
    expect((await list('?per_page=100')).json.pagination.per_page).toBe(100);
  });

  it('filters by one status or a comma list', async () => {
    expect(names(await list('?status=ACTIVE'))).toEqual(['alpha', 'echo 50%']);
    expect(names(await list('?status=ON_HOLD,ARCHIVED'))).toEqual(['charlie', 'Delta']);
    expect((await list('?status=ACTIVE')).json.pagination.total).toBe(2);
  });

  it('searches name and description case-insensitively', async () => {
    expect(names(await list('?search=ALPHA'))).toEqual(['alpha']);
    expect(names(await list('?search=First'))).toEqual(['alpha']);
    expect(names(await list('?search=a&status=PLANNING'))).toEqual(['Bravo']);
  });

  it('treats % and _ in a search as literal characters', async () => {
    expect(names(await list(`?search=${encodeURIComponent('%')}`)).sort()).toEqual(['Bravo', 'echo 50%']);
    expect(names(await list(`?search=${encodeURIComponent('50%')}`))).toEqual(['echo 50%']);
    // "snake_case" must not match "snakeXcase" (as it would if _ were a wildcard).
    expect(names(await list(`?search=${encodeURIComponent('snake_case')}`))).toEqual(['charlie']);
    expect(names(await list(`?search=${encodeURIComponent('\\')}`))).toEqual([]);
  });

  it.each([
    ['name', ['alpha', 'Bravo', 'charlie', 'Delta', 'echo 50%']],
    ['-name', ['echo 50%', 'Delta', 'charlie', 'Bravo', 'alpha']],
    ['created_at', ['alpha', 'Bravo', 'charlie', 'Delta', 'echo 50%']],
    ['-created_at', ['echo 50%', 'Delta', 'charlie', 'Bravo', 'alpha']],
    ['updated_at', ['echo 50%', 'Delta', 'charlie', 'Bravo', 'alpha']],
    ['status', []], // checked below by status, not by name
    ['-status', []],
  ])('sorts by %s', async (sort, expected) => {
    const got = names(await list(`?sort=${sort}`));
    if (sort === '-status') {
      expect(got.map((n) => FIXTURE.find((p) => p.name === n)!.status)).toEqual(['ARCHIVED', 'ON_HOLD', 'ACTIVE', 'ACTIVE', 'PLANNING']);
    } else if (sort === 'status') {
      // Lifecycle order, not alphabetical; ties (two ACTIVE) are broken by id, so only the statuses are fixed.
      expect(got.map((n) => FIXTURE.find((p) => p.name === n)!.status)).toEqual(['PLANNING', 'ACTIVE', 'ACTIVE', 'ON_HOLD', 'ARCHIVED']);
    } else {
      expect(got).toEqual(expected);
    }
  });

  it('needs a bearer token', async () => {
    const res = await t.call('GET', '/api/projects');
    expect(res.status).toBe(401);
  });
});
