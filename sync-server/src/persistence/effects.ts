// What a group commit writes besides the log rows: projection changes and activity rows, computed by the
// room from each transaction and attributed to the connection's user.

export interface ActivityEntry {
  userId: string | null;
  action: string;
  entityType: 'task' | 'comment' | 'tag' | 'attachment';
  entityId: string;
  taskId: string | null;
  changes: Record<string, unknown>;
}

export type Row = Record<string, unknown>;

/** Row changes per projection table (upsert by id / remove by id; task tags replaced per task). */
export interface ProjectionChanges {
  tasks: { upsert: Row[]; remove: string[] };
  comments: { upsert: Row[]; remove: string[] };
  tags: { upsert: Row[]; remove: string[] };
  attachments: { upsert: Row[]; remove: string[] };
  taskTags: { task_id: string; tag_ids: string[] }[];
}

export interface BatchEffects {
  changes: ProjectionChanges[];
  activity: ActivityEntry[];
  /** Replace every projection row of the project (after a projection write failed once). */
  fullResync?: ProjectionChanges;
}
