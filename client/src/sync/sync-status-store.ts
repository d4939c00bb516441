// useSyncStatus: the indicator's data for one project (its open session) or for everything (header).
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useSession } from '../auth/session.ts';
import { userDb } from '../db/database.ts';
import { useLiveQuery } from '../db/live-query.ts';
import { countUnsaved } from '../db/unsaved-count.ts';
import { combineStatuses, type SyncStatus } from './connection-status.ts';
import { openSessions, subscribeRegistry } from './session-registry.ts';

function subscribeAll(listener: () => void): () => void {
  let inner: (() => void)[] = [];
  const resubscribe = () => {
    for (const off of inner) off();
    inner = openSessions().map((s) => s.subscribe(listener));
  };
  resubscribe();
  const offRegistry = subscribeRegistry(() => {
    resubscribe();
    listener();
  });
  return () => {
    offRegistry();
    for (const off of inner) off();
  };
}

let cachedKey = '';
let cachedStatuses: { projectId: string; status: SyncStatus }[] = [];
function snapshot(): { projectId: string; status: SyncStatus }[] {
  const list = openSessions().map((s) => ({ projectId: s.projectId, status: s.getView().status }));
  const k = JSON.stringify(list);
  if (k !== cachedKey) {
    cachedKey = k;
    cachedStatuses = list;
  }
  return cachedStatuses;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/**
 * { state: 'offline'|'connecting'|'syncing'|'saved'|'unsaved', unsavedCount, lastSavedAt }.
 * With a projectId: that project's session (or, when it is not open in this tab, what IndexedDB knows).
 * Without: every project of the signed-in user, including offline-created projects not registered yet.
 */
export function useSyncStatus(projectId?: string): SyncStatus {
  const statuses = useSyncExternalStore(subscribeAll, snapshot);
  const online = useOnline();
  const userId = useSession((s) => s.user?.id ?? null);
  const stored = useLiveQuery(
    userId
      ? async () => {
          const db = userDb(userId);
          const unsaved = await countUnsaved(db, projectId);
          const metas = projectId ? [await db.docMeta.get(projectId)] : await db.docMeta.toArray();
          const lastSavedAt = metas.reduce<number | null>((m, x) => (x?.lastSavedAt && (!m || x.lastSavedAt > m) ? x.lastSavedAt : m), null);
          return { unsaved, lastSavedAt };
        }
      : null,
    [userId, projectId],
  );
  if (projectId) {
    const open = statuses.find((s) => s.projectId === projectId);
    if (open) return open.status;
    const unsaved = stored?.unsaved ?? 0;
    return { state: online ? (unsaved > 0 ? 'unsaved' : 'saved') : 'offline', unsavedCount: unsaved, lastSavedAt: stored?.lastSavedAt ?? null };
  }
  const combined = combineStatuses(statuses.map((s) => s.status), stored?.unsaved ?? 0, online);
  return { ...combined, lastSavedAt: stored?.lastSavedAt ?? combined.lastSavedAt };
}
