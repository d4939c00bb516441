// Per-room projection + activity tracking. Each transaction's projection delta (shared/projectTransaction,
// cost ~ size of the change) is compared with the rows this room last saw for the same entities, kept in
// memory (recomputed once from the document at load), to produce old -> new activity entries attributed to
// the transaction's authenticated user. Nothing here reads the whole document after load.
import type * as Y from 'yjs';
import { isEmptyDelta, projectDoc, projectTransaction, type AttachmentRow, type CommentRow, type TagRow, type TaskRow } from '../../../shared/projection.ts';
import { diffActivity, type KnownRows } from './activity-diff.ts';
import type { RoomEffects } from './room.ts';

export function createRoomEffects(doc: Y.Doc): RoomEffects {
  const known: KnownRows = {
    tasks: new Map<string, TaskRow>(),
    comments: new Map<string, CommentRow>(),
    tags: new Map<string, TagRow>(),
    attachments: new Map<string, AttachmentRow>(),
    taskTags: new Map<string, string[]>(),
  };
  const rows = projectDoc(doc);
  for (const r of rows.tasks) known.tasks.set(r.id, r);
  for (const r of rows.comments) known.comments.set(r.id, r);
  for (const r of rows.tags) known.tags.set(r.id, r);
  for (const r of rows.attachments) known.attachments.set(r.id, r);
  for (const r of rows.taskTags) known.taskTags.set(r.task_id, [...(known.taskTags.get(r.task_id) ?? []), r.tag_id]);

  return {
    onTransaction(tr: Y.Transaction, userId: string | null) {
      const delta = projectTransaction(doc, tr);
      if (isEmptyDelta(delta)) return {};
      return { changes: delta, activity: diffActivity(known, delta, userId) };
    },
    fullProjection() {
      return projectDoc(doc);
    },
  };
}
