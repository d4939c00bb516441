// Throttling of login (per account, per IP) and registration (per IP). trustProxy is on in this file so each
// test picks its client address with X-Forwarded-For; the clock is injected so windows pass instantly.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, createUser, TEST_PASSWORD, type TestApp } from '../test/fixtures.ts';

let t: TestApp;
let clock: number;
let ipCounter = 0;
const newIp = () => `10.2.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

beforeAll(async () => {
  t = await createTestApp({ trustProxy: true });
  t.deps.now = () => clock;
});
afterAll(() => t.close());
beforeEach(() => {
  clock = Date.now();
});

const login = (email: string, password: string, ip: string) =>
  t.call('POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': ip } });

describe('login throttling per account', () => {
  it('refuses the 11th attempt within 15 minutes with 429 + Retry-After, even with the right password', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 10; i++) {
      // A different address each time: the account limit must hold however the guesses are spread.
      expect((await login(user.email, `wrong guess ${i}`, newIp())).status).toBe(401);
    }
    const blocked = await login(user.email, TEST_PASSWORD, newIp());
    expect(blocked.status).toBe(429);
    expect(blocked.json.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    clock += retryAfter * 1000;
    expect((await login(user.email, TEST_PASSWORD, newIp())).status).toBe(200);
  });

  it('throttles unknown emails the same way, so a 429 says nothing about whether the account exists', async () => {
    for (let i = 0; i < 10; i++) expect((await login('ghost@example.com', 'guess', newIp())).status).toBe(401);
    expect((await login('ghost@example.com', 'guess', newIp())).status).toBe(429);
  });

  it('does not count successful logins', async () => {
    const user = await createUser(t);
    const ip = newIp();
    for (let i = 0; i < 12; i++) expect((await login(user.email, TEST_PASSWORD, ip)).status).toBe(200);
  });

  it('counts the email case-insensitively', async () => {
    const user = await createUser(t, { email: 'casey@example.com' });
    for (let i = 0; i < 10; i++) await login(i % 2 ? 'CASEY@example.com' : 'casey@EXAMPLE.com', 'nope', newIp());
    expect((await login(user.email, TEST_PASSWORD, newIp())).status).toBe(429);
  });
});

describe('login throttling per IP', () => {
  it('refuses an address after 100 failures in 15 minutes, across accounts; other addresses are unaffected', async () => {
    const ip = newIp();
    for (let i = 0; i < 100; i++) {
      // 10 different (unknown) accounts, 10 guesses each: no account limit is hit.
      expect((await login(`spray-${i % 10}@example.com`, 'guess', ip)).status).toBe(401);
    }
    const user = await createUser(t);
    const blocked = await login(user.email, TEST_PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(user.email, TEST_PASSWORD, newIp())).status).toBe(200);
    clock += 15 * 60 * 1000 + 1000;
    expect((await login(user.email, TEST_PASSWORD, ip)).status).toBe(200);
  });
});

describe('registration throttling per IP', () => {
  it('lets a burst of 30 through, then refuses beyond 50 an hour with 429 + Retry-After', async () => {
    const ip = newIp();
    const register = (i: number, from = ip) =>
      t.call('POST', '/api/auth/register', {
        body: { email: `burst-${i}@example.com`, password: 'team onboarding day', full_name: `Member ${i}` },
        headers: { 'x-forwarded-for': from },
      });
    for (let i = 0; i < 30; i++) expect((await register(i)).status).toBe(201);
    for (let i = 30; i < 50; i++) expect((await register(i)).status).toBe(201);
    const refused = await register(50);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50 * 60);
    expect((await register(51, newIp())).status).toBe(201);
    clock += 60 * 60 * 1000 + 1000;
    expect((await register(52)).status).toBe(201);
  });
});
