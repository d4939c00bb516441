// authenticateAccessToken remembers verified signatures (per secret); a remembered token must be judged
// exactly as a fresh verification would: expiry to the second, another secret, a session ended meanwhile.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../test/fixtures.ts';
import { authenticateAccessToken } from './authenticate.ts';
import { signAccessToken } from './tokens.ts';

let t: TestApp;
let user: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  user = await createUser(t);
});
afterAll(() => t.close());

const at = (nowMs: number) => ({ sql: t.sql, config: t.config, now: () => nowMs });

describe('authenticateAccessToken with remembered signatures', () => {
  it('accepts a token again until its exp second, then says expired', async () => {
    const issued = Date.now();
    const { token, expiresAt } = await signAccessToken(t.config.jwtSecret, { userId: user.id, sessionId: user.sessionId }, 60, issued);
    expect((await authenticateAccessToken(at(issued), token)).ok).toBe(true);
    expect((await authenticateAccessToken(at(expiresAt * 1000 - 1), token)).ok).toBe(true);
    expect(await authenticateAccessToken(at(expiresAt * 1000), token)).toEqual({ ok: false, reason: 'expired' });
    // Still expired when asked again (nothing re-remembered it).
    expect(await authenticateAccessToken(at(expiresAt * 1000 + 5000), token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('does not carry a verification over to another secret', async () => {
    expect((await authenticateAccessToken(at(Date.now()), user.token)).ok).toBe(true);
    const otherSecret = { sql: t.sql, config: { jwtSecret: new TextEncoder().encode(randomBytes(32).toString('base64')) } };
    expect(await authenticateAccessToken(otherSecret, user.token)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('still ends with the session: a remembered token is refused after logout', async () => {
    const session = await createUser(t);
    expect((await authenticateAccessToken(at(Date.now()), session.token)).ok).toBe(true);
    await t.sql`UPDATE auth_sessions SET revoked_at = now() WHERE family_id = ${session.sessionId}`;
    expect(await authenticateAccessToken(at(Date.now()), session.token)).toEqual({ ok: false, reason: 'revoked' });
  });
});
