// What a group commit writes besides the log rows: projection changes (shared/projection.ts) and activity
// rows, computed by the room from each transaction and attributed to the connection's user.
import type { ProjectionDelta, ProjectionRows } from '../../../shared/projection.ts';

export interface ActivityEntry {
  userId: string | null;
  action: string;
  entityType: 'task' | 'comment' | 'tag' | 'attachment';
  entityId: string;
  taskId: string | null;
  changes: Record<string, unknown>;
}

export type ProjectionChanges = ProjectionDelta;

export interface BatchEffects {
  /** In transaction order; later deltas win. */
  changes: ProjectionChanges[];
  activity: ActivityEntry[];
  /** Replace every projection row of the project (after a projection write failed). */
  fullResync?: ProjectionRows;
}
