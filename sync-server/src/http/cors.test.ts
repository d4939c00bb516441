// The headers every /api response carries (CORS, request id, security headers), through the real
// @hono/node-server listener as main.ts runs it: apiCors sets its headers after the handler, so the listener
// must see them on successes, errors, bodies over the limit and preflights alike.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../test/fixtures.ts';

let t: TestApp;
let server: Server;
let base: string;
let user: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  user = await createUser(t);
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

const ALLOWED = 'http://allowed.example';

function expectApiHeaders(res: Response, origin: string | null) {
  expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After,Content-Disposition');
  expect(res.headers.get('vary')).toBe('Origin');
  expect(res.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
}

describe('/api response headers through the node listener', () => {
  it('on a success, for an allowed origin and another one', async () => {
    for (const [origin, expected] of [[ALLOWED, ALLOWED], ['http://evil.example', null]] as const) {
      const res = await fetch(`${base}/api/projects`, { headers: { authorization: `Bearer ${user.token}`, origin } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expectApiHeaders(res, expected);
      expect((await res.json()).success).toBe(true);
    }
  });

  it('on errors (401, 404, validation) and on a body over the limit', async () => {
    const unauth = await fetch(`${base}/api/projects`, { headers: { origin: ALLOWED } });
    expect(unauth.status).toBe(401);
    expectApiHeaders(unauth, ALLOWED);
    expect((await unauth.json()).error.code).toBe('UNAUTHORIZED');

    const missing = await fetch(`${base}/api/nowhere`, { headers: { origin: ALLOWED } });
    expect(missing.status).toBe(404);
    expectApiHeaders(missing, ALLOWED);

    const invalid = await fetch(`${base}/api/projects?per_page=1000`, { headers: { authorization: `Bearer ${user.token}`, origin: ALLOWED } });
    expect(invalid.status).toBe(400);
    expectApiHeaders(invalid, ALLOWED);
    expect((await invalid.json()).error.code).toBe('VALIDATION_ERROR');

    const big = await fetch(`${base}/api/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, origin: ALLOWED, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(big.status).toBe(413);
    expectApiHeaders(big, ALLOWED);
    expect((await big.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('on a preflight', async () => {
    const res = await fetch(`${base}/api/projects`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT,PATCH,DELETE,OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type,Authorization,Idempotency-Key,X-Requested-With');
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('vary')).toBe('Origin, Access-Control-Request-Headers');
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
  });
});
