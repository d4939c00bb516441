import type { FieldboardDb } from './database.ts';

/** Local changes not yet durable on the server, plus projects created offline and not yet registered. */
export async function countUnsaved(db: FieldboardDb, projectId?: string): Promise<number> {
  const changes = projectId
    ? await db.pendingChanges.where('projectId').equals(projectId).count()
    : await db.pendingChanges.count();
  const projects = projectId
    ? (await db.projects.get(projectId))?.pending === 1 ? 1 : 0
    : await db.projects.where('pending').equals(1).count();
  return changes + projects;
}
