// Projection delta + the rows seen before it -> activity_log entries (and the known rows move forward).
// Action names (activity_log.action):
//   every `changes` value is [old, new] (creations: [null, value])
//   task.created | task.moved {status:[old,new]} | task.updated {field:[old,new], ...} | task.deleted |
//   task.restored | task.removed (entry left the document)
//   comment.created | comment.updated {content:[old,new]} | comment.deleted | comment.restored
//   tag.created | tag.updated {name|color:[old,new]} | tag.deleted | tag.restored
//   attachment.added | attachment.removed | attachment.restored
// Timestamps and ranks are bookkeeping, not user-visible changes, so they produce no entries.
import type { AttachmentRow, CommentRow, ProjectionDelta, TagRow, TaskRow } from '../../../shared/projection.ts';
import type { ActivityEntry } from '../persistence/effects.ts';

export interface KnownRows {
  /** `${taskId} ${userId}` -> when that user's last description edit was logged (ms). */
  descriptionLogged?: Map<string, number>;
  tasks: Map<string, TaskRow>;
  comments: Map<string, CommentRow>;
  tags: Map<string, TagRow>;
  attachments: Map<string, AttachmentRow>;
  taskTags: Map<string, string[]>;
}

const TASK_FIELDS = ['title', 'description', 'priority', 'assignee_id', 'reporter_id', 'due_date', 'estimated_hours', 'actual_hours', 'checklist'] as const;
/** Long text in activity rows is cut: the document holds the full history. */
const MAX_TEXT = 500;
/**
 * Descriptions are edited live (one transaction per keystroke): one activity row per user and task per
 * window, not one per keystroke.
 */
export const DESCRIPTION_ACTIVITY_WINDOW_MS = 60_000;

function clip(v: unknown): unknown {
  return typeof v === 'string' && v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT)}…` : v;
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

export function diffActivity(known: KnownRows, delta: ProjectionDelta, userId: string | null, nowMs = Date.now()): ActivityEntry[] {
  const out: ActivityEntry[] = [];
  const push = (action: string, entityType: ActivityEntry['entityType'], entityId: string, taskId: string | null, changes: Record<string, unknown> = {}) =>
    out.push({ userId, action, entityType, entityId, taskId, changes });
  const taskUpdates = new Map<string, Record<string, unknown>>();

  for (const row of delta.tasks.upsert) {
    const prev = known.tasks.get(row.id);
    known.tasks.set(row.id, row);
    if (!prev) {
      push('task.created', 'task', row.id, row.id, { title: [null, clip(row.title)], status: [null, row.status] });
      if (row.deleted_at) push('task.deleted', 'task', row.id, row.id);
      continue;
    }
    if (!prev.deleted_at && row.deleted_at) push('task.deleted', 'task', row.id, row.id);
    if (prev.deleted_at && !row.deleted_at) push('task.restored', 'task', row.id, row.id);
    if (prev.status !== row.status) push('task.moved', 'task', row.id, row.id, { status: [prev.status, row.status] });
    const changed: Record<string, unknown> = {};
    for (const f of TASK_FIELDS) if (!same(prev[f], row[f])) changed[f] = [clip(prev[f]), clip(row[f])];
    if ('description' in changed) {
      const key = `${row.id} ${userId}`;
      const logged = (known.descriptionLogged ??= new Map()).get(key);
      if (logged !== undefined && nowMs - logged < DESCRIPTION_ACTIVITY_WINDOW_MS) delete changed.description;
      else known.descriptionLogged.set(key, nowMs);
    }
    if (Object.keys(changed).length) taskUpdates.set(row.id, changed);
  }
  for (const id of delta.tasks.remove) {
    if (known.tasks.delete(id)) push('task.removed', 'task', id, id);
  }
  for (const { task_id, tag_ids } of delta.taskTags.set) {
    const prev = known.taskTags.get(task_id) ?? [];
    const next = [...tag_ids].sort();
    if (next.length) known.taskTags.set(task_id, next);
    else known.taskTags.delete(task_id);
    // A new task's tags are part of its creation.
    if (!same([...prev].sort(), next) && !out.some((e) => e.action === 'task.created' && e.entityId === task_id)) {
      taskUpdates.set(task_id, { ...taskUpdates.get(task_id), tag_ids: [[...prev].sort(), next] });
    }
  }
  for (const [id, changes] of taskUpdates) push('task.updated', 'task', id, id, changes);

  for (const row of delta.comments.upsert) {
    const prev = known.comments.get(row.id);
    known.comments.set(row.id, row);
    if (!prev) push('comment.created', 'comment', row.id, row.task_id, { content: [null, clip(row.content)], parent_comment_id: [null, row.parent_comment_id] });
    else {
      if (!prev.deleted_at && row.deleted_at) push('comment.deleted', 'comment', row.id, row.task_id);
      if (prev.deleted_at && !row.deleted_at) push('comment.restored', 'comment', row.id, row.task_id);
      if (prev.content !== row.content) push('comment.updated', 'comment', row.id, row.task_id, { content: [clip(prev.content), clip(row.content)] });
    }
  }
  for (const id of delta.comments.remove) {
    const prev = known.comments.get(id);
    if (prev && known.comments.delete(id)) push('comment.deleted', 'comment', id, prev.task_id);
  }

  for (const row of delta.tags.upsert) {
    const prev = known.tags.get(row.id);
    known.tags.set(row.id, row);
    if (!prev) push('tag.created', 'tag', row.id, null, { name: [null, clip(row.name)], color: [null, row.color] });
    else {
      if (!prev.deleted_at && row.deleted_at) push('tag.deleted', 'tag', row.id, null);
      if (prev.deleted_at && !row.deleted_at) push('tag.restored', 'tag', row.id, null);
      const changed: Record<string, unknown> = {};
      if (prev.name !== row.name) changed.name = [clip(prev.name), clip(row.name)];
      if (prev.color !== row.color) changed.color = [prev.color, row.color];
      if (Object.keys(changed).length) push('tag.updated', 'tag', row.id, null, changed);
    }
  }
  for (const id of delta.tags.remove) if (known.tags.delete(id)) push('tag.deleted', 'tag', id, null);

  for (const row of delta.attachments.upsert) {
    const prev = known.attachments.get(row.id);
    known.attachments.set(row.id, row);
    if (!prev) push('attachment.added', 'attachment', row.id, row.task_id, { name: clip(row.name), size: row.size, mime: row.mime });
    else if (!prev.deleted_at && row.deleted_at) push('attachment.removed', 'attachment', row.id, row.task_id, { name: clip(row.name) });
    else if (prev.deleted_at && !row.deleted_at) push('attachment.restored', 'attachment', row.id, row.task_id, { name: clip(row.name) });
  }
  for (const id of delta.attachments.remove) {
    const prev = known.attachments.get(id);
    if (prev && known.attachments.delete(id)) push('attachment.removed', 'attachment', id, prev.task_id, { name: clip(prev.name) });
  }
  return out;
}
