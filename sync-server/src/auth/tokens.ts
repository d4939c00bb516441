// Access tokens: HS256 JWTs signed with jose. The algorithm is pinned on verify (never taken from the
// token header), and issuer, audience and our `typ` claim are checked, so an access token cannot be used
// as anything else. Refresh tokens are opaque random strings stored hashed (see auth/sessions.ts), so they
// can never verify as access tokens either.
//
// Verifying is done here with node:crypto's HMAC rather than jose's jwtVerify: jose runs it through WebCrypto,
// whose per-call job cost 185 us of the main thread per token (14% of the busy CPU of 1,000 sockets connecting),
// against 3-5 us here. The checks are the ones jwtVerify made with our options: compact JWS of exactly three
// base64url parts, header alg HS256 and no `crit`, the signature compared in constant time, then the claims
// (iss, aud, exp required and in the future, nbf if present not in the future, sub/sid strings, typ).
import { createHash, createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT } from 'jose';

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

/** The node:crypto key for a secret, made once (same keying as `hmacKey`). */
const nodeKeys = new WeakMap<Uint8Array, KeyObject>();
function nodeHmacKey(secret: Uint8Array): KeyObject {
  let key = nodeKeys.get(secret);
  if (!key) {
    key = createSecretKey(secret);
    nodeKeys.set(secret, key);
  }
  return key;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** An HMAC-SHA256 is 32 bytes: 43 base64url characters, unpadded. */
const HS256_SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
const INVALID: VerifyResult = { ok: false, reason: 'invalid' };

/** The JSON object a base64url part (already checked for its alphabet) encodes; null for anything else. */
function jsonObject(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function verifyAccessToken(secret: Uint8Array, token: string, nowMs = Date.now()): VerifyResult {
  if (!token || token.length > 4096) return INVALID;
  const parts = token.split('.');
  if (parts.length !== 3) return INVALID;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  // The signature first: nothing of an unsigned token is parsed beyond its shape.
  if (!HS256_SIGNATURE.test(signaturePart) || !BASE64URL.test(headerPart) || !BASE64URL.test(payloadPart)) return INVALID;
  const expected = createHmac('sha256', nodeHmacKey(secret)).update(`${headerPart}.${payloadPart}`).digest();
  if (!timingSafeEqual(expected, Buffer.from(signaturePart, 'base64url'))) return INVALID;
  const header = jsonObject(headerPart);
  if (!header || header.alg !== JWT_ALG || 'crit' in header || 'b64' in header) return INVALID;
  const claims = jsonObject(payloadPart);
  if (!claims) return INVALID;
  const { iss, aud, exp, nbf, iat, sub, sid, typ } = claims;
  if (iss !== JWT_ISSUER) return INVALID;
  if (!(aud === JWT_AUDIENCE || (Array.isArray(aud) && aud.includes(JWT_AUDIENCE)))) return INVALID;
  if (typ !== ACCESS_TYP || typeof sub !== 'string' || typeof sid !== 'string') return INVALID;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return INVALID;
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) return INVALID;
  const now = Math.floor(nowMs / 1000);
  if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf) || nbf > now)) return INVALID;
  if (exp <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { sub, sid, exp } };
}

/** Opaque refresh token: 256 random bits. Only its SHA-256 is stored. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
