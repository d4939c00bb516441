// verifyAccessToken checks HS256 with node:crypto instead of jose's jwtVerify (see tokens.ts). jose stays the
// reference: every token below gets the same verdict from both, with the options we used to pass to jose.
import { createHmac } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { JWT_ALG, JWT_AUDIENCE, JWT_ISSUER, signAccessToken, verifyAccessToken } from './tokens.ts';

const secret = new TextEncoder().encode('a test secret that is at least 32 bytes long');
const NOW_MS = Date.UTC(2026, 10, 28, 12, 0, 0);
const NOW = NOW_MS / 1000;
const SUB = '0b7c1f5e-8d0a-4c55-9a51-6c8f0b1e2d3a';
const SID = '5f2d7c1a-3b4e-4f60-8a71-9c0d1e2f3a4b';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A compact JWS with any header and payload, signed with HMAC-SHA256 (whatever the header claims). */
function forge(header: unknown, payload: unknown, key = secret): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

const goodClaims = { typ: 'access', sid: SID, sub: SUB, iss: JWT_ISSUER, aud: JWT_AUDIENCE, iat: NOW - 10, exp: NOW + 600 };

/** jose's verdict, with the options verifyAccessToken used to pass to jwtVerify, plus our claim checks. */
async function joseVerdict(token: string): Promise<'ok' | 'expired' | 'invalid'> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: [JWT_ALG],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      currentDate: new Date(NOW_MS),
      requiredClaims: ['sub', 'exp', 'sid'],
    });
    return payload.typ === 'access' && typeof payload.sid === 'string' && typeof payload.sub === 'string' ? 'ok' : 'invalid';
  } catch (error) {
    return error instanceof errors.JWTExpired ? 'expired' : 'invalid';
  }
}

function ourVerdict(token: string): 'ok' | 'expired' | 'invalid' {
  const result = verifyAccessToken(secret, token, NOW_MS);
  return result.ok ? 'ok' : result.reason;
}

const valid = forge({ alg: 'HS256', typ: 'JWT' }, goodClaims);
const [vh, vp, vs] = valid.split('.') as [string, string, string];

const cases: [string, string, 'ok' | 'expired' | 'invalid'][] = [
  ['a valid token', valid, 'ok'],
  ['no typ header', forge({ alg: 'HS256' }, goodClaims), 'ok'],
  ['an audience list that includes ours', forge({ alg: 'HS256' }, { ...goodClaims, aud: ['other', JWT_AUDIENCE] }), 'ok'],
  ['no iat', forge({ alg: 'HS256' }, { ...goodClaims, iat: undefined }), 'ok'],
  ['nbf now', forge({ alg: 'HS256' }, { ...goodClaims, nbf: NOW }), 'ok'],
  ['exp one second ahead', forge({ alg: 'HS256' }, { ...goodClaims, exp: NOW + 1 }), 'ok'],
  ['exp now', forge({ alg: 'HS256' }, { ...goodClaims, exp: NOW }), 'expired'],
  ['exp an hour ago', forge({ alg: 'HS256' }, { ...goodClaims, exp: NOW - 3600 }), 'expired'],
  ['nbf in the future', forge({ alg: 'HS256' }, { ...goodClaims, nbf: NOW + 60 }), 'invalid'],
  ['nbf not a number', forge({ alg: 'HS256' }, { ...goodClaims, nbf: 'soon' }), 'invalid'],
  ['exp missing', forge({ alg: 'HS256' }, { ...goodClaims, exp: undefined }), 'invalid'],
  ['exp a string', forge({ alg: 'HS256' }, { ...goodClaims, exp: String(NOW + 600) }), 'invalid'],
  ['iat a string', forge({ alg: 'HS256' }, { ...goodClaims, iat: 'yesterday' }), 'invalid'],
  ['sub missing', forge({ alg: 'HS256' }, { ...goodClaims, sub: undefined }), 'invalid'],
  ['sub a number', forge({ alg: 'HS256' }, { ...goodClaims, sub: 42 }), 'invalid'],
  ['sid missing', forge({ alg: 'HS256' }, { ...goodClaims, sid: undefined }), 'invalid'],
  ['the refresh type', forge({ alg: 'HS256' }, { ...goodClaims, typ: 'refresh' }), 'invalid'],
  ['another issuer', forge({ alg: 'HS256' }, { ...goodClaims, iss: 'someone-else' }), 'invalid'],
  ['another audience', forge({ alg: 'HS256' }, { ...goodClaims, aud: 'other-api' }), 'invalid'],
  ['a header claiming HS512', forge({ alg: 'HS512' }, goodClaims), 'invalid'],
  ['a header claiming none', forge({ alg: 'none' }, goodClaims), 'invalid'],
  ['a header without alg', forge({ typ: 'JWT' }, goodClaims), 'invalid'],
  ['a crit header', forge({ alg: 'HS256', crit: ['exp'] }, goodClaims), 'invalid'],
  ['an unencoded-payload header', forge({ alg: 'HS256', b64: false, crit: ['b64'] }, goodClaims), 'invalid'],
  ['a header that is a JSON array', forge(['HS256'], goodClaims), 'invalid'],
  ['a header that is not JSON', forge('{"alg":"HS256"', goodClaims), 'invalid'],
  ['a payload that is a JSON array', forge({ alg: 'HS256' }, [goodClaims]), 'invalid'],
  ['a payload that is not JSON', forge({ alg: 'HS256' }, 'not json'), 'invalid'],
  ['another key', forge({ alg: 'HS256' }, goodClaims, new TextEncoder().encode('another secret that is long enough!!')), 'invalid'],
  ['a tampered payload', `${vh}.${b64({ ...goodClaims, sub: SID })}.${vs}`, 'invalid'],
  ['a truncated signature', `${vh}.${vp}.${vs.slice(0, -1)}`, 'invalid'],
  ['a signature with a character appended', `${vh}.${vp}.${vs}A`, 'invalid'],
  ['standard base64 characters in the payload', `${vh}.${vp.replace(/-/g, '+').replace(/_/g, '/')}+.${vs}`, 'invalid'],
  ['four parts', `${valid}.${vs}`, 'invalid'],
  ['two parts', `${vh}.${vp}`, 'invalid'],
  ['an empty signature', `${vh}.${vp}.`, 'invalid'],
  ['white space around it', ` ${valid} `, 'invalid'],
  ['empty', '', 'invalid'],
];

describe('verifyAccessToken', () => {
  it.each(cases)('%s: same verdict as jose', async (_name, token, expected) => {
    expect(ourVerdict(token)).toBe(expected);
    expect(await joseVerdict(token)).toBe(expected);
  });

  it('is stricter than jose on one point: base64url padding on the signature (no JWT library emits it)', async () => {
    const padded = `${vh}.${vp}.${vs}=`;
    expect(await joseVerdict(padded)).toBe('ok');
    expect(ourVerdict(padded)).toBe('invalid');
  });

  it('accepts what signAccessToken (jose) signs, until it expires', async () => {
    const { token, expiresAt } = await signAccessToken(secret, { userId: SUB, sessionId: SID }, 900, NOW_MS);
    expect(verifyAccessToken(secret, token, NOW_MS)).toEqual({ ok: true, claims: { sub: SUB, sid: SID, exp: expiresAt } });
    expect(verifyAccessToken(secret, token, (expiresAt - 1) * 1000).ok).toBe(true);
    expect(verifyAccessToken(secret, token, expiresAt * 1000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyAccessToken(new TextEncoder().encode('a different secret of at least 32 bytes'), token, NOW_MS)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a token longer than 4 KiB before checking anything', async () => {
    const long = await new SignJWT({ typ: 'access', sid: SID, pad: 'x'.repeat(4096) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(SUB)
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setExpirationTime(NOW + 600)
      .sign(secret);
    expect(await joseVerdict(long)).toBe('ok');
    expect(ourVerdict(long)).toBe('invalid');
  });
});
