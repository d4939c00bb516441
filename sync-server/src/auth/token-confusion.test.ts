// Tokens are accepted only for what they are: the pinned algorithm, our key, our issuer/audience/type.
import { randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../test/fixtures.ts';
import { JWT_AUDIENCE, JWT_ISSUER } from './tokens.ts';

let t: TestApp;
let user: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  user = await createUser(t);
});
afterAll(() => t.close());

const claims = () => ({ typ: 'access', sid: user.sessionId });
const sign = (alg: string, key: Uint8Array, extra: { typ?: string; iss?: string; aud?: string } = {}) =>
  new SignJWT({ ...claims(), ...(extra.typ !== undefined ? { typ: extra.typ } : {}) })
    .setProtectedHeader({ alg })
    .setSubject(user.id)
    .setIssuer(extra.iss ?? JWT_ISSUER)
    .setAudience(extra.aud ?? JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);

describe('access token checks', () => {
  it('accepts the fixture token (so the refusals below are about the token, not the setup)', async () => {
    expect((await t.call('GET', '/api/auth/me', { token: user.token })).status).toBe(200);
    expect((await t.call('GET', '/api/auth/me', { token: await sign('HS256', t.config.jwtSecret) })).status).toBe(200);
  });

  it.each<[string, () => Promise<string> | string]>([
    ['alg "none"', () => new UnsecuredJWT(claims()).setSubject(user.id).setIssuer(JWT_ISSUER).setAudience(JWT_AUDIENCE).setExpirationTime('1h').encode()],
    ['another key', () => sign('HS256', new TextEncoder().encode('another secret that is long enough!!'))],
    ['our key but HS512 (algorithm not pinned one)', () => sign('HS512', t.config.jwtSecret)],
    ['the wrong type claim', () => sign('HS256', t.config.jwtSecret, { typ: 'refresh' })],
    ['the wrong issuer', () => sign('HS256', t.config.jwtSecret, { iss: 'someone-else' })],
    ['the wrong audience', () => sign('HS256', t.config.jwtSecret, { aud: 'other-api' })],
    ['a refresh token', () => user.refreshToken],
    ['a tampered payload', () => {
      const [h, p, s] = user.token.split('.');
      const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
      payload.sub = randomUUID();
      return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    }],
  ])('refuses a token with %s', async (_name, make) => {
    const res = await t.call('GET', '/api/auth/me', { token: await make() });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('UNAUTHORIZED');
  });

  it('refuses a valid signature for a session that does not exist', async () => {
    const token = await new SignJWT({ typ: 'access', sid: randomUUID() })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setExpirationTime('1h')
      .sign(t.config.jwtSecret);
    const res = await t.call('GET', '/api/auth/me', { token });
    expect(res.status).toBe(401);
    expect(res.json.error.details).toEqual({ reason: 'revoked' });
  });

  it('refuses an access token presented as a refresh token, in the body and as the cookie', async () => {
    expect((await t.call('POST', '/api/auth/refresh', { body: { refresh_token: user.token } })).status).toBe(401);
    const viaCookie = await t.call('POST', '/api/auth/refresh', {
      headers: { cookie: `fb_refresh=${user.token}`, 'x-requested-with': 'fieldboard' },
    });
    expect(viaCookie.status).toBe(401);
  });
});
