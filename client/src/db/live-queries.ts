// Live list views from IndexedDB: they work offline and update when any tab changes the data.
import { useEffect } from 'react';
import { useSession } from '../auth/session.ts';
import { refreshProjects } from '../projects/project-store.ts';
import { titleWords } from '../sync/task-indexer.ts';
import { userDb, type FieldboardDb, type ProjectRecord, type TaskRecord } from './database.ts';
import { useLiveQuery } from './live-query.ts';

/** Every project of the signed-in user (cached and offline-created), newest first; undefined while loading. */
export function useProjects(): ProjectRecord[] | undefined {
  const userId = useSession((s) => s.user?.id ?? null);
  const online = useSession((s) => !s.offline);
  useEffect(() => {
    if (userId && online) void refreshProjects().catch(() => {});
  }, [userId, online]);
  return useLiveQuery(
    userId ? async () => (await userDb(userId).projects.toArray()).sort((a, b) => b.updated_at.localeCompare(a.updated_at)) : null,
    [userId],
  );
}

/** One project from the local cache (undefined while loading, null when unknown). */
export function useProject(projectId: string): ProjectRecord | null | undefined {
  const userId = useSession((s) => s.user?.id ?? null);
  return useLiveQuery(userId ? async () => (await userDb(userId).projects.get(projectId)) ?? null : null, [userId, projectId]);
}

export interface MyTask extends TaskRecord {
  project_name: string;
}

/** Tasks assigned to me across all projects (not deleted, not archived), by due date then title. */
export function useMyTasks(): MyTask[] | undefined {
  const userId = useSession((s) => s.user?.id ?? null);
  return useLiveQuery(
    userId
      ? async () => {
          const db = userDb(userId);
          const [tasks, projects] = await Promise.all([db.tasks.where('assignee_id').equals(userId).toArray(), db.projects.toArray()]);
          const names = new Map(projects.map((p) => [p.id, p.name]));
          return tasks
            .filter((t) => t.deleted === 0 && t.status !== 'ARCHIVED' && names.has(t.project_id))
            .map((t) => ({ ...t, project_name: names.get(t.project_id)! }))
            .sort((a, b) => (a.due_date ?? '9999').localeCompare(b.due_date ?? '9999') || a.title.localeCompare(b.title));
        }
      : null,
    [userId],
  );
}

/**
 * Tasks whose title has a word starting with each word of `query` (case-insensitive), optionally in one
 * project. Uses the multi-entry title_words index, so it stays fast on large boards and works offline.
 */
export async function searchTasks(db: FieldboardDb, query: string, opts: { projectId?: string; limit?: number } = {}): Promise<TaskRecord[]> {
  const words = titleWords(query);
  if (words.length === 0) return [];
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
  const candidates = await db.tasks.where('title_words').startsWith(longest).distinct().toArray();
  return candidates
    .filter((t) => t.deleted === 0 && (!opts.projectId || t.project_id === opts.projectId))
    .filter((t) => words.every((w) => t.title_words.some((tw) => tw.startsWith(w))))
    .sort((a, b) => b.updated_at.localeCompare(a.updated_at))
    .slice(0, opts.limit ?? 50);
}

/** searchTasks as a live hook for the signed-in user. */
export function useTaskSearch(query: string, projectId?: string): TaskRecord[] | undefined {
  const userId = useSession((s) => s.user?.id ?? null);
  return useLiveQuery(userId ? () => searchTasks(userDb(userId), query, { projectId }) : null, [userId, query, projectId]);
}
