// /api/auth: register, login, refresh (rotation with reuse detection), logout, me.
import type { Context } from 'hono';
import { ApiError, conflict, rateLimited, unauthorized } from '../http/api-error.ts';
import type { AppDeps } from '../http/context.ts';
import { ok } from '../http/respond.ts';
import { newRouter } from '../http/router.ts';
import { authenticateAccessToken } from './authenticate.ts';
import { clientIp, isHttps } from './client-ip.ts';
import { clearRefreshCookie, refreshTokenFromCookie, setRefreshCookie } from './cookies.ts';
import { requireAuth } from './middleware.ts';
import { hashPassword, verifyPassword, warmUpPasswords } from './passwords.ts';
import { loginRoute, logoutRoute, meRoute, refreshRoute, registerRoute } from './route-specs.ts';
import { findFamilyByToken, revokeFamily, rotateRefreshToken, startSession, type NewSession } from './sessions.ts';
import { SlidingWindowLimiter } from './throttle.ts';
import { signAccessToken } from './tokens.ts';
import { findUserById, findUserForLogin, toUserJson, USER_COLUMNS, type UserRow } from './user-record.ts';

const MINUTE = 60_000;
/** Issue: at most 10 failed logins per account in 15 minutes. */
export const LOGIN_ACCOUNT_LIMIT = { limit: 10, windowMs: 15 * MINUTE };
/** Generous enough for an office behind one NAT address, tight enough to stop spraying from one host. */
export const LOGIN_IP_LIMIT = { limit: 100, windowMs: 15 * MINUTE };
/** Issue: a burst of 30 registrations in an hour from one address must pass (a team onboarding together). */
export const REGISTER_IP_LIMIT = { limit: 50, windowMs: 60 * MINUTE };

/** Serializes registrations so "first user becomes instance admin" cannot happen twice ("fb" "1st"). */
const FIRST_USER_LOCK_ID = 0x6662_0131;

const BAD_CREDENTIALS = 'Incorrect email or password';
const DEACTIVATED = 'This account is deactivated; ask an instance admin to reactivate it';

export function authRoutes(deps: AppDeps) {
  const router = newRouter();
  // The first unknown-email login would otherwise pay for making the dummy hash, and be measurably slower.
  warmUpPasswords().catch((error: unknown) => deps.logger.error({ err: error }, 'could not prepare the dummy password hash'));
  const now = () => deps.now?.() ?? Date.now();
  const loginByAccount = new SlidingWindowLimiter({ ...LOGIN_ACCOUNT_LIMIT, now });
  const loginByIp = new SlidingWindowLimiter({ ...LOGIN_IP_LIMIT, now });
  const registerByIp = new SlidingWindowLimiter({ ...REGISTER_IP_LIMIT, now });
  const { config, sql } = deps;
  const secure = (c: Context) => config.nodeEnv === 'production' || isHttps(c, config.trustProxy);
  const meta = (c: Context) => ({ userAgent: c.req.header('user-agent'), ip: clientIp(c, config.trustProxy) });

  async function issue(c: Context, user: UserRow, session: NewSession) {
    const nowMs = now();
    const { token } = await signAccessToken(config.jwtSecret, { userId: user.id, sessionId: session.familyId }, config.accessTokenTtl, nowMs);
    setRefreshCookie(c, session.refreshToken, (session.expiresAt - nowMs) / 1000, secure(c));
    return { user: toUserJson(user), access_token: token, refresh_token: session.refreshToken, expires_in: config.accessTokenTtl };
  }

  /** The refresh token of a refresh/logout request: the JSON field first, else the cookie (with the CSRF header). */
  function presentedRefreshToken(c: Context, bodyToken: string | undefined): { token: string; fromCookie: boolean } | null {
    if (bodyToken) return { token: bodyToken, fromCookie: false };
    const cookie = refreshTokenFromCookie(c);
    if (cookie.token !== null) return { token: cookie.token, fromCookie: true };
    if (cookie.reason === 'missing-header') {
      throw new ApiError('FORBIDDEN', 'The refresh cookie is only accepted with the header X-Requested-With: fieldboard');
    }
    return null;
  }

  router.openapi(registerRoute, async (c) => {
    const input = c.req.valid('json');
    const slot = registerByIp.take(clientIp(c, config.trustProxy));
    if (!slot.ok) throw rateLimited(slot.retryAfterSeconds, 'Too many sign-ups from your network; try again later');
    const localPart = input.email.split('@')[0]!;
    if (input.password.toLowerCase() === input.email || input.password.toLowerCase() === localPart) {
      const message = 'password must not be your email address';
      throw new ApiError('VALIDATION_ERROR', `Invalid request body: password: ${message}`, [{ field: 'password', message, code: 'custom' }]);
    }
    const passwordHash = await hashPassword(input.password);
    const nowMs = now();
    const user = await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${FIRST_USER_LOCK_ID})`;
      const [row] = await tx<UserRow[]>`
        INSERT INTO users (email, password_hash, full_name, is_instance_admin, created_at, updated_at)
        SELECT ${input.email}, ${passwordHash}, ${input.full_name}, NOT EXISTS (SELECT 1 FROM users), ${new Date(nowMs)}, ${new Date(nowMs)}
        ON CONFLICT DO NOTHING
        RETURNING ${tx(USER_COLUMNS)}`;
      return row;
    });
    if (!user) throw conflict('An account with this email already exists; sign in instead', { field: 'email' });
    const session = await startSession(sql, user.id, config.refreshTokenTtl, nowMs, meta(c));
    deps.logger.info({ userId: user.id, admin: user.is_instance_admin }, 'user registered');
    return ok(c, await issue(c, user, session), { status: 201 });
  });

  router.openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid('json');
    const ip = clientIp(c, config.trustProxy);
    // Check both limits before counting against either, so one refusal does not use up the other's budget.
    const ipState = loginByIp.check(ip);
    if (!ipState.ok) throw rateLimited(ipState.retryAfterSeconds, 'Too many failed sign-ins from your network; try again later');
    const accountSlot = loginByAccount.take(email);
    if (!accountSlot.ok) {
      throw rateLimited(accountSlot.retryAfterSeconds, 'Too many failed sign-ins for this account; try again later');
    }
    const ipSlot = loginByIp.take(ip);
    if (!ipSlot.ok) {
      accountSlot.release();
      throw rateLimited(ipSlot.retryAfterSeconds, 'Too many failed sign-ins from your network; try again later');
    }
    const user = await findUserForLogin(sql, email);
    // Always one Argon2 verification (a dummy one for unknown emails): same answer, same time.
    const matches = await verifyPassword(user?.password_hash ?? null, password);
    if (!user || !matches) throw unauthorized(BAD_CREDENTIALS);
    // Only a successful login gives its slot back: the limits count failures.
    accountSlot.release();
    ipSlot.release();
    // Said only to someone who proved the password, so it reveals nothing to a guesser.
    if (!user.is_active) throw unauthorized(DEACTIVATED);
    const nowMs = now();
    await sql`UPDATE users SET last_login_at = ${new Date(nowMs)} WHERE id = ${user.id}`;
    const session = await startSession(sql, user.id, config.refreshTokenTtl, nowMs, meta(c));
    return ok(c, await issue(c, user, session));
  });

  router.openapi(refreshRoute, async (c) => {
    const body = c.req.valid('json');
    const presented = presentedRefreshToken(c, body?.refresh_token);
    if (!presented) throw unauthorized('No refresh token: send {"refresh_token": ...} or the fb_refresh cookie');
    const result = await rotateRefreshToken(sql, presented.token, now(), meta(c));
    if (!result.ok) {
      if (presented.fromCookie) clearRefreshCookie(c, secure(c));
      if (result.reason === 'reused') {
        deps.events.emit('session-revoked', { userId: result.userId!, sessionId: result.familyId! });
        deps.logger.warn({ userId: result.userId, sessionId: result.familyId }, 'refresh token reuse: session revoked');
        throw new ApiError('UNAUTHORIZED', 'This refresh token was already used, so the session was ended for safety; sign in again', {
          reason: 'reused',
        });
      }
      throw new ApiError('UNAUTHORIZED', 'Refresh token is invalid, expired or revoked; sign in again', { reason: result.reason });
    }
    const user = await findUserById(sql, result.userId);
    if (!user) throw unauthorized('Refresh token is invalid, expired or revoked; sign in again');
    return ok(c, await issue(c, user, result.session));
  });

  router.openapi(logoutRoute, async (c) => {
    const body = c.req.valid('json');
    const nowMs = now();
    let ended: { userId: string; familyId: string } | null;
    const header = c.req.header('authorization');
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const auth = match ? await authenticateAccessToken(deps, match[1]!) : null;
      if (!auth?.ok) throw unauthorized('Invalid or expired access token; you are already signed out on this device');
      ended = { userId: auth.user.id, familyId: auth.user.session_id };
    } else {
      const presented = presentedRefreshToken(c, body?.refresh_token);
      if (!presented) throw unauthorized('Send the access token (Authorization: Bearer ...) or the refresh token to sign out');
      ended = await findFamilyByToken(sql, presented.token);
      if (!ended) {
        clearRefreshCookie(c, secure(c));
        throw unauthorized('Unknown refresh token');
      }
    }
    const revoked = await revokeFamily(sql, ended.familyId, 'logout', nowMs);
    if (revoked > 0) deps.events.emit('session-revoked', { userId: ended.userId, sessionId: ended.familyId });
    clearRefreshCookie(c, secure(c));
    return ok(c, null, { message: 'Signed out' });
  });

  router.use(meRoute.getRoutingPath(), requireAuth(deps));
  router.openapi(meRoute, async (c) => {
    const user = await findUserById(sql, c.get('user').id);
    if (!user) throw unauthorized('Session ended; sign in again');
    return ok(c, toUserJson(user));
  });

  return router;
}
