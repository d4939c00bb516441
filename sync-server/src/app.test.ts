import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp } from './test/fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('app basics', () => {
  it('answers /health and /ready', async () => {
    expect((await t.call('GET', '/health')).json).toEqual({ status: 'ok' });
    expect((await t.call('GET', '/ready')).json).toEqual({ status: 'ready' });
  });

  it('answers unknown API paths with the 404 envelope', async () => {
    const res = await t.call('GET', '/api/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ success: false, error: { code: 'NOT_FOUND', message: 'No such endpoint' } });
  });

  it('sets security headers on every response', async () => {
    const res = await t.call('GET', '/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('allows CORS only for ALLOWED_ORIGINS', async () => {
    const allowed = await t.call('OPTIONS', '/api/projects', { headers: { origin: 'http://allowed.example', 'access-control-request-method': 'GET' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://allowed.example');
    const denied = await t.call('OPTIONS', '/api/projects', { headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' } });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses JSON bodies over 1 MiB with 413', async () => {
    const user = await createUser(t);
    const res = await t.call('POST', '/api/projects', { token: user.token, body: { name: 'x'.repeat(1024 * 1024 + 10) } });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
