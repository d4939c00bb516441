// One ProjectSession per project per tab, shared by every screen that shows the project. Sessions are
// reference-counted and closed a little after the last user lets go, so moving between the board and a
// task's details does not reconnect.
import { useEffect, useSyncExternalStore } from 'react';
import { onSignOut, useSession } from '../auth/session.ts';
import { ProjectSession, type ProjectSessionView } from './project-doc-session.ts';

const IDLE_CLOSE_MS = 10_000;

interface Entry {
  session: ProjectSession;
  refs: number;
  idleTimer: ReturnType<typeof setTimeout> | null;
}

const entries = new Map<string, Entry>();
const registryListeners = new Set<() => void>();

function key(userId: string, projectId: string): string {
  return `${userId}:${projectId}`;
}

function notify(): void {
  for (const listener of registryListeners) listener();
}

/** Subscribe to sessions opening and closing (the global sync indicator). */
export function subscribeRegistry(listener: () => void): () => void {
  registryListeners.add(listener);
  return () => registryListeners.delete(listener);
}

export function openSessions(): ProjectSession[] {
  return [...entries.values()].map((e) => e.session);
}

function scheduleClose(k: string, entry: Entry): void {
  if (entry.idleTimer) clearTimeout(entry.idleTimer);
  entry.idleTimer = setTimeout(() => {
    if (entry.refs > 0) return;
    entries.delete(k);
    entry.session.destroy();
    notify();
  }, IDLE_CLOSE_MS);
}

/** The session for a project, created if needed; unreferenced sessions close after a short idle time. */
function peek(projectId: string): ProjectSession | null {
  const user = useSession.getState().user;
  if (!user) return null;
  const k = key(user.id, projectId);
  let entry = entries.get(k);
  if (!entry) {
    entry = { session: new ProjectSession(projectId, user.id, user.full_name || user.email), refs: 0, idleTimer: null };
    entries.set(k, entry);
    scheduleClose(k, entry);
    notify();
  }
  return entry.session;
}

/** Opens (or reuses) a project's session and holds it until releaseProjectSession. Requires a signed-in user. */
export function openProjectSession(projectId: string): ProjectSession {
  const session = peek(projectId);
  if (!session) throw new Error('openProjectSession needs a signed-in user');
  const entry = entries.get(key(session.userId, projectId))!;
  entry.refs++;
  if (entry.idleTimer) {
    clearTimeout(entry.idleTimer);
    entry.idleTimer = null;
  }
  return session;
}

export function releaseProjectSession(session: ProjectSession): void {
  const k = key(session.userId, session.projectId);
  const entry = entries.get(k);
  if (!entry || entry.session !== session) return;
  entry.refs = Math.max(0, entry.refs - 1);
  if (entry.refs === 0) scheduleClose(k, entry);
}

export function closeAllSessions(): void {
  for (const entry of entries.values()) {
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.session.destroy();
  }
  entries.clear();
  notify();
}

onSignOut(() => closeAllSessions());

const noSubscribe = () => () => {};
const nullView = () => null;

/**
 * The project's live session for screens: doc, awareness, undoManager, role, ready, status...
 * Null only when nobody is signed in.
 */
export function useProjectSession(projectId: string): ProjectSessionView | null {
  const userId = useSession((s) => s.user?.id ?? null);
  const session = userId ? peek(projectId) : null;
  useEffect(() => {
    if (!userId) return;
    const held = openProjectSession(projectId);
    return () => releaseProjectSession(held);
  }, [projectId, userId]);
  return useSyncExternalStore(session ? session.subscribe : noSubscribe, session ? session.getView : nullView);
}
