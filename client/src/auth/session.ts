// The signed-in user. The access token lives in memory only; the refresh token is an httpOnly cookie the
// page never sees. For offline start the last user's profile is kept in localStorage (never a token): the
// app then opens signed-in but offline, and gets a fresh access token once the network returns.
import { create } from 'zustand';
import { ApiRequestError, apiFetch, setTokenSource } from '../api/http.ts';
import { deleteUserDb, userDb } from '../db/database.ts';
import { countUnsaved } from '../db/unsaved-count.ts';
import { RefreshCoordinator, type ChannelLike, type LockLike, type RefreshOutcome } from './refresh-coordinator.ts';

export interface User {
  id: string;
  email: string;
  full_name: string;
  avatar_url?: string | null;
  is_instance_admin?: boolean;
}

interface AuthResult {
  user: User;
  access_token: string;
  expires_in: number;
}

// Checked by hand, not with zod: the stored profile is read on every start, before the first paint, and
// the zod library is kept out of the start-up script (see api/schemas.ts). Unknown fields are dropped.
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A user as the API sends it (and as the profile is stored), or null if it is not one. */
export function parseUser(value: unknown): User | null {
  if (!isObject(value)) return null;
  const { id, email, full_name, avatar_url, is_instance_admin } = value;
  if (typeof id !== 'string' || id === '' || typeof email !== 'string' || typeof full_name !== 'string') return null;
  if (avatar_url !== undefined && avatar_url !== null && typeof avatar_url !== 'string') return null;
  if (is_instance_admin !== undefined && typeof is_instance_admin !== 'boolean') return null;
  const user: User = { id, email, full_name };
  if (avatar_url !== undefined) user.avatar_url = avatar_url;
  if (is_instance_admin !== undefined) user.is_instance_admin = is_instance_admin;
  return user;
}

/** The answer of register, login and refresh, or null if it is not one. */
export function parseAuthResult(value: unknown): AuthResult | null {
  if (!isObject(value)) return null;
  const user = parseUser(value.user);
  const { access_token, expires_in } = value;
  if (!user || typeof access_token !== 'string' || access_token === '') return null;
  if (typeof expires_in !== 'number' || !Number.isFinite(expires_in) || expires_in <= 0) return null;
  return { user, access_token, expires_in };
}

export type SessionStatus = 'loading' | 'anonymous' | 'authenticated';

export interface SessionState {
  status: SessionStatus;
  user: User | null;
  accessToken: string | null;
  /** True while signed in from the local profile without a server-confirmed token (offline start). */
  offline: boolean;
  register(input: { email: string; password: string; full_name: string }): Promise<User>;
  login(input: { email: string; password: string }): Promise<User>;
  logout(options?: { force?: boolean }): Promise<void>;
  getAccessToken(): Promise<string | null>;
}

const LAST_USER_KEY = 'fieldboard.lastUser';
const PENDING_LOGOUT_KEY = 'fieldboard.pendingLogout';
const AUTH_HEADERS = { 'X-Requested-With': 'fieldboard' };

let expiresAt = 0;

function readLastUser(): User | null {
  try {
    const raw = localStorage.getItem(LAST_USER_KEY);
    if (!raw) return null;
    return parseUser(JSON.parse(raw));
  } catch {
    return null;
  }
}

function writeLastUser(user: User | null): void {
  try {
    if (user) localStorage.setItem(LAST_USER_KEY, JSON.stringify(user));
    else localStorage.removeItem(LAST_USER_KEY);
  } catch {
    // Storage may be unavailable (private mode): offline start is then not possible, nothing else breaks.
  }
}

async function postRefresh(): Promise<RefreshOutcome> {
  try {
    const data = await apiFetch<unknown>('/api/auth/refresh', { method: 'POST', anonymous: true, headers: AUTH_HEADERS, body: {} });
    const result = parseAuthResult(data);
    if (!result) return { kind: 'unreachable' };
    return {
      kind: 'ok',
      token: { token: result.access_token, expiresAt: Date.now() + result.expires_in * 1000 },
      payload: result.user,
    };
  } catch (error) {
    if (error instanceof ApiRequestError && (error.status === 401 || error.status === 403)) return { kind: 'rejected' };
    return { kind: 'unreachable' };
  }
}

const channel: (ChannelLike & BroadcastChannel) | null =
  typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('fieldboard-auth');
const locks: LockLike | null =
  typeof navigator !== 'undefined' && navigator.locks
    ? { request: (name, cb) => navigator.locks.request(name, cb) }
    : null;
const coordinator = new RefreshCoordinator({ refresh: postRefresh, locks, channel });

type Listener = (user: User) => void | Promise<void>;
const signInListeners = new Set<Listener>();
const signOutListeners = new Set<Listener>();
/** Runs after every sign-in (including offline start and reconnecting). Returns an unsubscribe function. */
export function onSignIn(listener: Listener): () => void {
  signInListeners.add(listener);
  return () => signInListeners.delete(listener);
}
/** Runs before a user's local data is deleted at sign-out (close sessions, stop timers). */
export function onSignOut(listener: Listener): () => void {
  signOutListeners.add(listener);
  return () => signOutListeners.delete(listener);
}

function notifySignIn(user: User): void {
  for (const listener of signInListeners) void Promise.resolve(listener(user)).catch(() => {});
}

function adopt(user: User, token: string, tokenExpiresAt: number): void {
  const previous = useSession.getState();
  expiresAt = tokenExpiresAt;
  coordinator.remember({ token, expiresAt: tokenExpiresAt });
  writeLastUser(user);
  userDb(user.id);
  useSession.setState({ status: 'authenticated', user, accessToken: token, offline: false });
  if (previous.status !== 'authenticated' || previous.offline || previous.user?.id !== user.id) notifySignIn(user);
}

async function refreshToken(rejected: string | null): Promise<string | null> {
  const outcome = await coordinator.refresh(rejected);
  const state = useSession.getState();
  if (outcome.kind === 'ok') {
    const user = parseUser(outcome.payload) ?? state.user;
    if (!user) return null;
    // A token another tab obtained for a different user (sign-in switch) is not ours to use.
    if (state.user && state.user.id !== user.id) return null;
    adopt(user, outcome.token.token, outcome.token.expiresAt);
    return outcome.token.token;
  }
  if (outcome.kind === 'rejected') {
    // The server ended the session. Keep local data (unsaved changes may sync after signing in again).
    coordinator.forget();
    expiresAt = 0;
    useSession.setState({ status: 'anonymous', accessToken: null, offline: false });
    return null;
  }
  if (state.status === 'authenticated') useSession.setState({ offline: true });
  return null;
}

async function getAccessToken(): Promise<string | null> {
  const state = useSession.getState();
  if (state.status === 'anonymous') return null;
  if (state.accessToken && expiresAt - 30_000 > Date.now()) return state.accessToken;
  if (!state.user) return null;
  return refreshToken(state.accessToken);
}

async function authenticate(path: string, body: unknown): Promise<User> {
  const data = await apiFetch<unknown>(path, { method: 'POST', anonymous: true, headers: AUTH_HEADERS, body });
  const result = parseAuthResult(data);
  if (!result) throw new ApiRequestError(200, 'BAD_RESPONSE', 'The server sent an unexpected answer. Please try again.');
  try {
    localStorage.removeItem(PENDING_LOGOUT_KEY);
  } catch {
    // see writeLastUser
  }
  adopt(result.user, result.access_token, Date.now() + result.expires_in * 1000);
  return result.user;
}

/** Thrown by logout() without `force` when local changes have not reached the server yet. */
export class UnsavedChangesError extends Error {
  readonly count: number;
  constructor(count: number) {
    super(`${count} change${count === 1 ? '' : 's'} not saved yet. Signing out now deletes them from this device.`);
    this.name = 'UnsavedChangesError';
    this.count = count;
  }
}

/** Number of local changes (and offline-created projects) the server has not confirmed yet. */
export async function unsavedChangeCount(): Promise<number> {
  const user = useSession.getState().user;
  if (!user) return 0;
  return countUnsaved(userDb(user.id));
}

export async function hasUnsavedChanges(): Promise<boolean> {
  return (await unsavedChangeCount()) > 0;
}

async function logout(options: { force?: boolean } = {}): Promise<void> {
  const { user, accessToken } = useSession.getState();
  if (!user) {
    useSession.setState({ status: 'anonymous', accessToken: null, offline: false });
    return;
  }
  if (!options.force) {
    const count = await unsavedChangeCount();
    if (count > 0) throw new UnsavedChangesError(count);
  }
  try {
    await apiFetch('/api/auth/logout', {
      method: 'POST',
      anonymous: true,
      headers: { ...AUTH_HEADERS, ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}) },
      body: {},
    });
  } catch (error) {
    // Offline: revoke the refresh cookie at the next start instead (see initSession).
    if (error instanceof ApiRequestError && error.isNetwork) {
      try {
        localStorage.setItem(PENDING_LOGOUT_KEY, '1');
      } catch {
        // see writeLastUser
      }
    }
  }
  await signOutLocally(user, true);
}

async function signOutLocally(user: User, broadcast: boolean): Promise<void> {
  for (const listener of signOutListeners) await Promise.resolve(listener(user)).catch(() => {});
  coordinator.forget();
  expiresAt = 0;
  writeLastUser(null);
  useSession.setState({ status: 'anonymous', user: null, accessToken: null, offline: false });
  if (broadcast) channel?.postMessage({ type: 'fieldboard.signed-out', userId: user.id });
  await deleteUserDb(user.id).catch(() => {});
}

export const useSession = create<SessionState>(() => ({
  status: 'loading',
  user: null,
  accessToken: null,
  offline: false,
  register: (input) => authenticate('/api/auth/register', input),
  login: (input) => authenticate('/api/auth/login', input),
  logout,
  getAccessToken,
}));

export const register = (input: { email: string; password: string; full_name: string }) => useSession.getState().register(input);
export const login = (input: { email: string; password: string }) => useSession.getState().login(input);
export { logout, getAccessToken };

/** A token different from `rejected` (the server refused it): used after a TokenExpired close. */
export function refreshAccessToken(rejected: string | null): Promise<string | null> {
  return refreshToken(rejected);
}

setTokenSource({ getToken: getAccessToken, refresh: refreshToken });

channel?.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data as { type?: unknown; userId?: unknown } | null;
  const user = useSession.getState().user;
  if (data?.type === 'fieldboard.signed-out' && user && data.userId === user.id) void signOutLocally(user, false);
});
coordinator.onToken(({ token, payload }) => {
  // Another tab refreshed or signed in: adopt its token if it is for the user signed in here.
  const user = parseUser(payload);
  const state = useSession.getState();
  if (user && state.user?.id === user.id && state.status === 'authenticated') {
    expiresAt = token.expiresAt;
    useSession.setState({ accessToken: token.token, offline: false });
  }
});

let started = false;
/** Decides the start state: signed in (online or offline) from the last profile, or anonymous. */
export async function initSession(): Promise<void> {
  if (started) return;
  started = true;
  try {
    if (localStorage.getItem(PENDING_LOGOUT_KEY)) {
      await apiFetch('/api/auth/logout', { method: 'POST', anonymous: true, headers: AUTH_HEADERS, body: {} });
      localStorage.removeItem(PENDING_LOGOUT_KEY);
    }
  } catch {
    // still offline: retried at the next start
  }
  const last = readLastUser();
  if (!last) {
    useSession.setState({ status: 'anonymous' });
    return;
  }
  // Open at once with local data; the token arrives when (and if) the server answers.
  useSession.setState({ status: 'authenticated', user: last, accessToken: null, offline: true });
  userDb(last.id);
  notifySignIn(last);
  await refreshToken(null);
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    const s = useSession.getState();
    if (s.status === 'authenticated' && s.offline) void refreshToken(s.accessToken);
  });
}
