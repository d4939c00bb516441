import { createMiddleware } from 'hono/factory';
import { ApiError } from '../http/api-error.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { authenticateAccessToken } from './authenticate.ts';

/** Requires `Authorization: Bearer <access token>`; sets c.var.user. */
export function requireAuth(deps: AppDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError('UNAUTHORIZED', 'Missing bearer token: send Authorization: Bearer <access_token>');
    const result = await authenticateAccessToken(deps, match[1]!);
    if (!result.ok) {
      const message =
        result.reason === 'expired'
          ? 'Access token expired; refresh it with POST /api/auth/refresh'
          : result.reason === 'revoked'
            ? 'Session ended (signed out, or the account is deactivated); sign in again'
            : 'Invalid access token';
      throw new ApiError('UNAUTHORIZED', message, { reason: result.reason });
    }
    c.set('user', result.user);
    await next();
  });
}
