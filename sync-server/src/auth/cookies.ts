// The browser keeps its refresh token in an httpOnly cookie that page scripts cannot read, scoped to
// /api/auth so it travels only to refresh and logout, SameSite=Strict so no cross-site request carries it.
// Cookie use also requires the `X-Requested-With: fieldboard` header (see routes.ts): a cross-site HTML form
// cannot set a custom header, and a cross-origin fetch that sets one needs a CORS preflight that only
// ALLOWED_ORIGINS pass. That covers same-site-but-cross-origin pages too, which SameSite alone does not.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

export const REFRESH_COOKIE = 'fb_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'fieldboard';

export function setRefreshCookie(c: Context, token: string, maxAgeSeconds: number, secure: boolean): void {
  setCookie(c, REFRESH_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: REFRESH_COOKIE_PATH,
    secure,
    maxAge: Math.max(0, Math.floor(maxAgeSeconds)),
  });
}

export function clearRefreshCookie(c: Context, secure: boolean): void {
  deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH, httpOnly: true, sameSite: 'Strict', secure });
}

export type CookieToken = { token: string } | { token: null; reason: 'absent' | 'missing-header' };

/** The refresh token from the cookie, only when the request also carries the anti-CSRF header. */
export function refreshTokenFromCookie(c: Context): CookieToken {
  const token = getCookie(c, REFRESH_COOKIE);
  if (!token) return { token: null, reason: 'absent' };
  if (c.req.header(CSRF_HEADER)?.toLowerCase() !== CSRF_HEADER_VALUE) return { token: null, reason: 'missing-header' };
  return { token };
}
