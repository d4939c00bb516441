// Work that must happen without any screen asking for it: after sign-in and whenever the network returns,
// register offline-created projects, refresh the project list, and push local changes of projects that
// are not open (a change made offline on a board you then left must still reach the server).
import { onSignIn, useSession } from '../auth/session.ts';
import { currentDb } from '../db/database.ts';
import { syncProjects } from '../projects/project-store.ts';
import { requestPersistentStorage } from '../pwa/storage.tsx';
import { openProjectSession, openSessions, releaseProjectSession } from './session-registry.ts';

const BACKGROUND_HOLD_MAX_MS = 120_000;
const held = new Set<string>();

/** Opens a session for every project with unsaved changes and holds it until they are saved. */
export async function pushPendingChanges(): Promise<void> {
  const db = currentDb();
  if (!db || !useSession.getState().user) return;
  const ids = new Set((await db.pendingChanges.toArray()).map((c) => c.projectId));
  for (const projectId of ids) {
    if (held.has(projectId) || openSessions().some((s) => s.projectId === projectId)) continue;
    const project = await db.projects.get(projectId);
    if (!project || project.pending_error) continue;
    held.add(projectId);
    const session = openProjectSession(projectId);
    const started = Date.now();
    const release = () => {
      off();
      clearTimeout(timer);
      held.delete(projectId);
      releaseProjectSession(session);
    };
    const check = () => {
      const { status, noAccess } = session.getView();
      if (noAccess || (status.state === 'saved' && status.unsavedCount === 0) || Date.now() - started > BACKGROUND_HOLD_MAX_MS) release();
    };
    const off = session.subscribe(check);
    const timer = setTimeout(release, BACKGROUND_HOLD_MAX_MS);
  }
}

async function catchUp(): Promise<void> {
  const state = useSession.getState();
  if (state.status !== 'authenticated' || !navigator.onLine) return;
  try {
    await syncProjects();
  } catch {
    // Offline or server down: the next 'online' event or sign-in retries.
  }
  await pushPendingChanges().catch(() => {});
}

let started = false;
export function startBackgroundSync(): void {
  if (started) return;
  started = true;
  onSignIn(() => {
    void requestPersistentStorage();
    void catchUp();
  });
  window.addEventListener('online', () => void catchUp());
  // Going from an offline start to a confirmed token also counts as coming back.
  useSession.subscribe((state, previous) => {
    if (state.status === 'authenticated' && previous.offline && !state.offline) void catchUp();
  });
}
