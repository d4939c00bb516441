// "The first user of an empty instance becomes the instance admin" must hold when several people register at
// the same moment on a fresh instance: exactly one admin, never two. The unguarded race window (between the
// NOT EXISTS check and commit) is sub-millisecond, so this checks the outcome rather than reliably provoking
// the race; the advisory lock in routes.ts is what closes it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Runs on both paths: the embedded database uses a single connection (db/database.ts explains why), so
// concurrent requests there queue instead of interleaving inside PGlite's one session.
it('makes exactly one instance admin out of concurrent first registrations', async () => {
  const results = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      t.call('POST', '/api/auth/register', { body: { email: `early-${i}@example.com`, password: 'first come first served', full_name: `Early ${i}` } }),
    ),
  );
  expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
  const admins = results.filter((r) => r.json.data.user.is_instance_admin);
  expect(admins).toHaveLength(1);
  const rows = await t.sql<{ email: string }[]>`SELECT email FROM users WHERE is_instance_admin`;
  expect(rows.map((r) => r.email)).toEqual([admins[0]!.json.data.user.email]);
});
