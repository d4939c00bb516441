// A tiny history-API router: the app has nine routes, so a route table and a parse function are enough.
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'login' }
  | { name: 'register' }
  | { name: 'projects' }
  | { name: 'my-tasks' }
  | { name: 'board'; projectId: string }
  | { name: 'task'; projectId: string; taskId: string }
  | { name: 'members'; projectId: string }
  | { name: 'settings'; projectId: string }
  | { name: 'deleted'; projectId: string }
  | { name: 'not-found'; path: string };

const SEGMENT = '([^/]+)';
const TABLE: [RegExp, (m: string[]) => Route][] = [
  [/^\/login$/, () => ({ name: 'login' })],
  [/^\/register$/, () => ({ name: 'register' })],
  [/^\/$/, () => ({ name: 'projects' })],
  [/^\/my-tasks$/, () => ({ name: 'my-tasks' })],
  [new RegExp(`^/projects/${SEGMENT}$`), (m) => ({ name: 'board', projectId: m[1]! })],
  [new RegExp(`^/projects/${SEGMENT}/tasks/${SEGMENT}$`), (m) => ({ name: 'task', projectId: m[1]!, taskId: m[2]! })],
  [new RegExp(`^/projects/${SEGMENT}/members$`), (m) => ({ name: 'members', projectId: m[1]! })],
  [new RegExp(`^/projects/${SEGMENT}/settings$`), (m) => ({ name: 'settings', projectId: m[1]! })],
  [new RegExp(`^/projects/${SEGMENT}/deleted$`), (m) => ({ name: 'deleted', projectId: m[1]! })],
];

export function parseRoute(pathname: string): Route {
  // A trailing slash is accepted everywhere ("/projects/x/" is the board), and ids are URI-decoded.
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const [pattern, build] of TABLE) {
    const match = pattern.exec(path);
    if (match) {
      try {
        return build(match.slice(0).map((part) => decodeURIComponent(part)));
      } catch {
        return { name: 'not-found', path: pathname };
      }
    }
  }
  return { name: 'not-found', path: pathname };
}

const enc = encodeURIComponent;
export const paths = {
  login: (next?: string) => (next && next !== '/' ? `/login?next=${enc(next)}` : '/login'),
  register: () => '/register',
  projects: () => '/',
  myTasks: () => '/my-tasks',
  board: (projectId: string) => `/projects/${enc(projectId)}`,
  task: (projectId: string, taskId: string) => `/projects/${enc(projectId)}/tasks/${enc(taskId)}`,
  members: (projectId: string) => `/projects/${enc(projectId)}/members`,
  settings: (projectId: string) => `/projects/${enc(projectId)}/settings`,
  deleted: (projectId: string) => `/projects/${enc(projectId)}/deleted`,
};

const listeners = new Set<() => void>();
function notify() {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  const current = window.location.pathname + window.location.search;
  if (to === current) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

/** The full current location (path + query); components derive their route from it. */
export function useLocation(): string {
  return useSyncExternalStore(
    subscribe,
    () => window.location.pathname + window.location.search,
    () => '/',
  );
}

export function useRoute(): Route {
  const location = useLocation();
  return parseRoute(location.split('?')[0] ?? '/');
}

/** The ?next= target after login, restricted to same-origin paths so it cannot become an open redirect. */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next');
  if (!next || !next.startsWith('/') || next.startsWith('//')) return '/';
  return next;
}
