// Tasks others changed while this user was away (marked during the catch-up sync after a reconnect),
// kept in IndexedDB until the user opens them, so the marks survive reloads and agree across tabs.
import { useCallback } from 'react';
import { useSession } from '../auth/session.ts';
import { userDb } from '../db/database.ts';
import { useLiveQuery } from '../db/live-query.ts';

const EMPTY: ReadonlySet<string> = new Set();

export async function markTaskSeen(userId: string, projectId: string, taskId: string): Promise<void> {
  await userDb(userId).changedTasks.delete([projectId, taskId]);
}

/** { changed: ids of tasks changed by others since last seen, markSeen(taskId) }. */
export function useChangedByOthers(projectId: string): { changed: ReadonlySet<string>; markSeen: (taskId: string) => void } {
  const userId = useSession((s) => s.user?.id ?? null);
  const ids = useLiveQuery(
    userId ? async () => new Set(await userDb(userId).changedTasks.where('projectId').equals(projectId).toArray((rows) => rows.map((r) => r.taskId))) : null,
    [userId, projectId],
  );
  const markSeen = useCallback(
    (taskId: string) => {
      if (userId) void markTaskSeen(userId, projectId, taskId);
    },
    [userId, projectId],
  );
  return { changed: ids ?? EMPTY, markSeen };
}
