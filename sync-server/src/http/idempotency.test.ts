import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { requireAuth } from '../auth/middleware.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../test/fixtures.ts';
import { ApiError } from './api-error.ts';
import { idempotency } from './idempotency.ts';
import { newRouter } from './router.ts';

// A bare router whose POST handler counts its runs, so the tests see how often the work really happened.
let t: TestApp;
let user: TestUser;
let runs = 0;
let gate: Promise<void> = Promise.resolve();
let app: ReturnType<typeof newRouter>;

beforeAll(async () => {
  t = await createTestApp();
  user = await createUser(t);
  app = newRouter();
  app.use('*', requireAuth(t.deps), idempotency(t.deps));
  app.post('/things', async (c) => {
    await gate;
    runs++;
    const body = (await c.req.json()) as { fail?: string };
    if (body.fail === 'server') throw new Error('boom');
    if (body.fail === 'client') throw new ApiError('VALIDATION_ERROR', 'bad thing');
    return c.json({ success: true, data: { run: runs, id: randomUUID() } }, 201);
  });
  app.onError((error, c) =>
    error instanceof ApiError
      ? c.json({ success: false, error: { code: error.code, message: error.message } }, error.status)
      : c.json({ success: false, error: { code: 'INTERNAL', message: 'Internal server error' } }, 500),
  );
});
afterAll(() => t.close());

async function post(body: unknown, key?: string, who = user) {
  const headers: Record<string, string> = { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' };
  if (key) headers['idempotency-key'] = key;
  const res = await app.request('/things', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as { success: boolean; data?: { run: number; id: string }; error?: { code: string } } };
}

describe('Idempotency-Key', () => {
  it('replays the first response for a retry with the same key and runs the handler once', async () => {
    const key = randomUUID();
    const before = runs;
    const first = await post({ name: 'a', n: 1 }, key);
    const retry = await post('{ "n": 1,   "name": "a" }', key); // same JSON, other spacing and key order
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(runs).toBe(before + 1);
  });

  it('runs every request without a key', async () => {
    const before = runs;
    await post({ name: 'a' });
    await post({ name: 'a' });
    expect(runs).toBe(before + 2);
  });

  it('refuses the same key with a different body (400 VALIDATION_ERROR) without running it', async () => {
    const key = randomUUID();
    await post({ name: 'a' }, key);
    const before = runs;
    const other = await post({ name: 'b' }, key);
    expect(other.status).toBe(400);
    expect(other.json.error?.code).toBe('VALIDATION_ERROR');
    expect(runs).toBe(before);
  });

  it('scopes keys per user', async () => {
    const other = await createUser(t);
    const key = randomUUID();
    const a = await post({ name: 'a' }, key);
    const b = await post({ name: 'a' }, key, other);
    expect(b.json.data?.id).not.toBe(a.json.data?.id);
  });

  it('serializes concurrent retries: one run, every caller gets the same answer', async () => {
    const key = randomUUID();
    const before = runs;
    let open!: () => void;
    gate = new Promise<void>((resolve) => (open = resolve));
    const pending = Array.from({ length: 5 }, () => post({ name: 'c' }, key));
    await new Promise((resolve) => setTimeout(resolve, 150));
    open();
    const results = await Promise.all(pending);
    gate = Promise.resolve();
    expect(runs).toBe(before + 1);
    expect(new Set(results.map((r) => r.json.data?.id)).size).toBe(1);
    expect(results.every((r) => r.status === 201)).toBe(true);
  });

  it('does not remember server errors, so the retry runs again', async () => {
    const key = randomUUID();
    const failed = await post({ fail: 'server' }, key);
    expect(failed.status).toBe(500);
    const before = runs;
    const again = await post({ fail: 'server' }, key);
    expect(again.status).toBe(500);
    expect(runs).toBe(before + 1);
  });

  it('remembers client errors (the same request would fail the same way)', async () => {
    const key = randomUUID();
    await post({ fail: 'client' }, key);
    const before = runs;
    const again = await post({ fail: 'client' }, key);
    expect(again.status).toBe(400);
    expect(runs).toBe(before);
  });

  it('refuses a malformed key', async () => {
    const res = await post({ name: 'a' }, 'has space');
    expect(res.status).toBe(400);
    const long = await post({ name: 'a' }, 'k'.repeat(256));
    expect(long.status).toBe(400);
  });

  it('forgets keys after their time to live', async () => {
    const key = randomUUID();
    const first = await post({ name: 'ttl' }, key);
    await t.sql`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = ${key}`;
    const later = await post({ name: 'ttl' }, key);
    expect(later.json.data?.id).not.toBe(first.json.data?.id);
  });
});
