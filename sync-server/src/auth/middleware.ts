import { createMiddleware } from 'hono/factory';
import { ApiError } from '../http/api-error.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { authenticateAccessToken, verifyAccessClaims } from './authenticate.ts';

/** The 401 for each reason a token is refused. */
export function unauthorizedFor(reason: 'invalid' | 'expired' | 'revoked'): ApiError {
  const message =
    reason === 'expired'
      ? 'Access token expired; refresh it with POST /api/auth/refresh'
      : reason === 'revoked'
        ? 'Session ended (signed out, or the account is deactivated); sign in again'
        : 'Invalid access token';
  return new ApiError('UNAUTHORIZED', message, { reason });
}

function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw new ApiError('UNAUTHORIZED', 'Missing bearer token: send Authorization: Bearer <access_token>');
  return match[1]!;
}

/** Requires `Authorization: Bearer <access token>`; sets c.var.user. */
export function requireAuth(deps: AppDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const result = await authenticateAccessToken(deps, bearerToken(c.req.header('authorization')));
    if (!result.ok) throw unauthorizedFor(result.reason);
    c.set('user', result.user);
    await next();
  });
}

/**
 * requireAuth for a route that reads the session's liveness in its own statement (the task list: one round
 * trip instead of two): checks the token here (signature, expiry, claims) and sets c.var.token; the route must
 * answer unauthorizedFor('revoked') when its statement finds the session dead, before anything else. Refusals
 * stay in requireAuth's order: when the request fails validation before the route ran, the session is
 * checked here, and a dead one answers 401 rather than 400.
 */
export function requireToken(deps: AppDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    const verified = await verifyAccessClaims(deps, token);
    if (!verified.ok) throw unauthorizedFor(verified.reason);
    c.set('token', { userId: verified.claims.sub, sessionId: verified.claims.sid, nowMs: verified.nowMs });
    await next();
    if (c.error instanceof ApiError && c.error.code === 'VALIDATION_ERROR') {
      const result = await authenticateAccessToken(deps, token);
      if (!result.ok) throw unauthorizedFor(result.reason);
    }
  });
}
