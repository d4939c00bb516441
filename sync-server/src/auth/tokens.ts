// Access tokens: HS256 JWTs signed with jose. The algorithm is pinned on verify (never taken from the
// token header), and issuer, audience and our `typ` claim are checked, so an access token cannot be used
// as anything else. Refresh tokens are opaque random strings stored hashed (see auth/sessions.ts), so they
// can never verify as access tokens either.
import { createHash, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export const JWT_ALG = 'HS256';
export const JWT_ISSUER = 'fieldboard';
export const JWT_AUDIENCE = 'fieldboard-api';
const ACCESS_TYP = 'access';

export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Session (refresh-token family) id. */
  sid: string;
  /** Expiry, seconds since epoch. */
  exp: number;
}

/**
 * The HMAC key for a secret, imported once: jose imports a raw secret into a WebCrypto key on every call
 * (a measurable share of connecting 1,000 sockets). Keyed by the secret's bytes object (the config's).
 */
const keys = new WeakMap<Uint8Array, Promise<CryptoKey>>();
function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

export type VerifyResult = { ok: true; claims: AccessClaims } | { ok: false; reason: 'invalid' | 'expired' };

export async function signAccessToken(
  secret: Uint8Array,
  claims: { userId: string; sessionId: string },
  ttlSeconds: number,
  nowMs = Date.now(),
): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT({ typ: ACCESS_TYP, sid: claims.sessionId })
    .setProtectedHeader({ alg: JWT_ALG, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(randomBytes(9).toString('base64url'))
    .sign(await hmacKey(secret));
  return { token, expiresAt: exp };
}

export async function verifyAccessToken(secret: Uint8Array, token: string, nowMs = Date.now()): Promise<VerifyResult> {
  if (!token || token.length > 4096) return { ok: false, reason: 'invalid' };
  try {
    const { payload } = await jwtVerify(token, await hmacKey(secret), {
      algorithms: [JWT_ALG],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      currentDate: new Date(nowMs),
      requiredClaims: ['sub', 'exp', 'sid'],
    });
    if (payload.typ !== ACCESS_TYP || typeof payload.sid !== 'string' || typeof payload.sub !== 'string') {
      return { ok: false, reason: 'invalid' };
    }
    return { ok: true, claims: { sub: payload.sub, sid: payload.sid, exp: payload.exp as number } };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    return { ok: false, reason: 'invalid' };
  }
}

/** Opaque refresh token: 256 random bits. Only its SHA-256 is stored. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
