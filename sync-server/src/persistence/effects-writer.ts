// Writes a batch's projection changes and activity rows inside the group-commit transaction.
// Ids in the projection tables are global primary keys while the rows come from documents any member can
// write, so an upsert never touches a row of another project (ON CONFLICT ... WHERE project_id matches).
import type postgres from 'postgres';
import type { AttachmentRow, CommentRow, ProjectionDelta, ProjectionRows, TagRow, TaskRow } from '../../../shared/projection.ts';
import { isUuid } from '../auth/authenticate.ts';
import type { BatchEffects } from './effects.ts';

export type Tx = postgres.TransactionSql;

export interface Merged {
  tasks: Map<string, TaskRow | null>;
  comments: Map<string, CommentRow | null>;
  tags: Map<string, TagRow | null>;
  attachments: Map<string, AttachmentRow | null>;
  taskTags: Map<string, string[]>;
}

/** Later deltas win; null = remove. */
export function merge(deltas: ProjectionDelta[]): Merged {
  const m: Merged = { tasks: new Map(), comments: new Map(), tags: new Map(), attachments: new Map(), taskTags: new Map() };
  for (const d of deltas) {
    for (const key of ['tasks', 'comments', 'tags', 'attachments'] as const) {
      const target = m[key] as Map<string, unknown>;
      for (const id of d[key].remove) target.set(id, null);
      for (const row of d[key].upsert) target.set(row.id, row);
    }
    for (const s of d.taskTags.set) m.taskTags.set(s.task_id, s.tag_ids);
  }
  return m;
}

export const TASK_COLS = ['id', 'project_id', 'title', 'description', 'status', 'priority', 'assignee_id', 'reporter_id', 'due_date', 'estimated_hours', 'actual_hours', 'rank', 'checklist', 'created_at', 'updated_at', 'completed_at', 'deleted_at'] as const;
export const COMMENT_COLS = ['id', 'project_id', 'task_id', 'parent_comment_id', 'author_id', 'content', 'created_at', 'edited_at', 'updated_at', 'deleted_at'] as const;
export const TAG_COLS = ['id', 'project_id', 'name', 'color', 'created_at', 'updated_at', 'deleted_at'] as const;
export const ATTACHMENT_COLS = ['id', 'project_id', 'task_id', 'name', 'size', 'mime', 'sha256', 'uploaded_by', 'created_at', 'updated_at', 'deleted_at'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- postgres.js row helper typing; rows come from typed projections
async function upsert(tx: Tx, table: string, cols: readonly string[], rows: Record<string, any>[]): Promise<void> {
  const updates = cols.filter((c) => c !== 'id' && c !== 'project_id').map((c) => `${c} = EXCLUDED.${c}`).join(', ');
  for (const chunk of chunks(rows, Math.floor(MAX_PARAMETERS / cols.length))) {
    await tx`
      INSERT INTO ${tx(table)} ${tx(chunk, cols as string[])}
      ON CONFLICT (id) DO UPDATE SET ${tx.unsafe(updates)}
      WHERE ${tx(table)}.project_id = EXCLUDED.project_id`;
  }
}

async function remove(tx: Tx, table: string, projectId: string, ids: string[]): Promise<void> {
  for (const chunk of chunks(ids.filter(isUuid), MAX_PARAMETERS - 1)) await tx`DELETE FROM ${tx(table)} WHERE project_id = ${projectId} AND id IN ${tx(chunk)}`;
}

/**
 * A statement takes at most 65,535 parameters; every multi-row write here goes in chunks under that (a
 * 5,000-task board's full resync is ~90,000 task parameters, and it must never fail for its size).
 */
const MAX_PARAMETERS = 60_000;

export function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

async function writeRows(tx: Tx, projectId: string, m: Merged): Promise<void> {
  const live = <R extends { id: string }>(map: Map<string, R | null>) => [...map.values()].filter((r): r is R => r !== null && isUuid(r.id));
  const dead = (map: Map<string, unknown>) => [...map].filter(([, r]) => r === null).map(([id]) => id);
  await upsert(tx, 'tasks', TASK_COLS, live(m.tasks).map((r) => ({ ...r, project_id: projectId, checklist: tx.json(r.checklist as unknown as postgres.JSONValue) })));
  await upsert(tx, 'comments', COMMENT_COLS, live(m.comments).filter((r) => isUuid(r.task_id)).map((r) => ({ ...r, project_id: projectId })));
  await upsert(tx, 'tags', TAG_COLS, live(m.tags).map((r) => ({ ...r, project_id: projectId })));
  await upsert(tx, 'attachments', ATTACHMENT_COLS, live(m.attachments).filter((r) => isUuid(r.task_id)).map((r) => ({ ...r, project_id: projectId })));
  await remove(tx, 'tasks', projectId, dead(m.tasks));
  await remove(tx, 'comments', projectId, dead(m.comments));
  await remove(tx, 'tags', projectId, dead(m.tags));
  await remove(tx, 'attachments', projectId, dead(m.attachments));
  const taskIds = [...m.taskTags.keys()].filter(isUuid);
  for (const chunk of chunks(taskIds, MAX_PARAMETERS - 1)) await tx`DELETE FROM task_tags WHERE project_id = ${projectId} AND task_id IN ${tx(chunk)}`;
  const pairs = taskIds.flatMap((task_id) => [...new Set(m.taskTags.get(task_id))].filter(isUuid).map((tag_id) => ({ project_id: projectId, task_id, tag_id })));
  for (const chunk of chunks(pairs, Math.floor(MAX_PARAMETERS / 3))) await tx`INSERT INTO task_tags ${tx(chunk, 'project_id', 'task_id', 'tag_id')} ON CONFLICT DO NOTHING`;
}

/** Replaces every projection row of the project with `rows` (repair after a failed projection write). */
async function replaceAll(tx: Tx, projectId: string, rows: ProjectionRows): Promise<void> {
  for (const table of ['task_tags', 'attachments', 'comments', 'tags', 'tasks']) await tx`DELETE FROM ${tx(table)} WHERE project_id = ${projectId}`;
  const tags = new Map<string, string[]>();
  for (const r of rows.taskTags) tags.set(r.task_id, [...(tags.get(r.task_id) ?? []), r.tag_id]);
  await writeRows(tx, projectId, {
    tasks: new Map(rows.tasks.map((r) => [r.id, r])),
    comments: new Map(rows.comments.map((r) => [r.id, r])),
    tags: new Map(rows.tags.map((r) => [r.id, r])),
    attachments: new Map(rows.attachments.map((r) => [r.id, r])),
    taskTags: tags,
  });
}

export async function writeEffects(tx: Tx, projectId: string, effects: BatchEffects): Promise<void> {
  // A resync is computed from the document when the batch is cut, so it already holds this batch's changes.
  if (effects.fullResync) await replaceAll(tx, projectId, effects.fullResync);
  else if (effects.changes.length) await writeRows(tx, projectId, merge(effects.changes));
  const activity = effects.activity
    .filter((a) => isUuid(a.entityId))
    .map((a) => ({
      project_id: projectId,
      task_id: a.taskId && isUuid(a.taskId) ? a.taskId : null,
      user_id: a.userId,
      action: a.action,
      entity_type: a.entityType,
      entity_id: a.entityId,
      changes: tx.json(a.changes as postgres.JSONValue),
    }));
  for (const chunk of chunks(activity, Math.floor(MAX_PARAMETERS / 7))) {
    await tx`INSERT INTO activity_log ${tx(chunk, 'project_id', 'task_id', 'user_id', 'action', 'entity_type', 'entity_id', 'changes')}`;
  }
}
