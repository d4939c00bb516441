// A board preview: the first cards of each column, their comment/attachment counts and the tags, as the
// board showed them when the project's last stored update was written. Opening a board of thousands of
// tasks means reading and applying a multi-megabyte document (about a second on a slow machine); the
// preview is one small row, so the board paints at once and turns live when the document is in.
// Like every table but docUpdates it is derived: it is used only while the project's last docUpdates row
// is still the one it was written after (so it shows exactly what the stored document holds), and
// rewritten from the document after changes.
import { TASK_STATUSES, type TaskStatus } from '../../../shared/api.ts';
import type { Tag, Task } from '../../../shared/doc-model.ts';
import type { FieldboardDb } from './database.ts';

/** Bump when Task or the layout below changes: rows of another version are ignored. */
export const PREVIEW_VERSION = 1;
/** Cards kept per column: more than a tall window shows. */
export const PREVIEW_ROWS = 30;

export interface PreviewCounts {
  comments: number;
  attachments: number;
}

export interface BoardPreview {
  columns: Record<TaskStatus, { total: number; tasks: Task[] }>;
  counts: Record<string, PreviewCounts>;
  tags: Tag[];
}

export function buildBoardPreview(
  board: Readonly<Record<TaskStatus, readonly Task[]>>,
  counts: Readonly<Record<string, PreviewCounts>>,
  tags: readonly Tag[],
  rows = PREVIEW_ROWS,
): BoardPreview {
  const columns = {} as BoardPreview['columns'];
  const kept: Record<string, PreviewCounts> = {};
  for (const status of TASK_STATUSES) {
    const list = board[status] ?? [];
    // Descriptions are not on cards (and may be long): the preview keeps them empty.
    const tasks = list.slice(0, rows).map((task) => (task.description === '' ? task : { ...task, description: '' }));
    columns[status] = { total: list.length, tasks };
    for (const task of tasks) if (counts[task.id]) kept[task.id] = counts[task.id]!;
  }
  return { columns, counts: kept, tags: [...tags] };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown) => v === null || typeof v === 'string';
const isNullableNumber = (v: unknown) => v === null || typeof v === 'number';

function isTask(v: unknown, status: TaskStatus): v is Task {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Record<string, unknown>;
  return (
    isString(t.id) && isString(t.title) && isString(t.description) && t.status === status && isString(t.priority) &&
    isNullableString(t.assignee_id) && isNullableString(t.reporter_id) && isNullableString(t.due_date) &&
    isNullableNumber(t.estimated_hours) && isNullableNumber(t.actual_hours) && isString(t.created_at) && isString(t.updated_at) &&
    isNullableString(t.completed_at) && t.deleted_at === null && isString(t.rank) &&
    Array.isArray(t.tag_ids) && t.tag_ids.every(isString) &&
    Array.isArray(t.checklist) && t.checklist.every((c: unknown) => typeof c === 'object' && c !== null && isString((c as { id?: unknown }).id) && isString((c as { text?: unknown }).text) && typeof (c as { done?: unknown }).done === 'boolean')
  );
}

/** The stored preview, checked field by field (it comes from storage another app version may have written); null if unusable. */
export function parseBoardPreview(data: unknown): BoardPreview | null {
  if (typeof data !== 'object' || data === null) return null;
  const { columns, counts, tags } = data as Partial<Record<keyof BoardPreview, unknown>>;
  if (typeof columns !== 'object' || columns === null || typeof counts !== 'object' || counts === null || !Array.isArray(tags)) return null;
  for (const status of TASK_STATUSES) {
    const column = (columns as Record<string, unknown>)[status] as { total?: unknown; tasks?: unknown } | undefined;
    if (!column || typeof column.total !== 'number' || !Array.isArray(column.tasks) || column.tasks.length > column.total) return null;
    if (!column.tasks.every((t) => isTask(t, status))) return null;
  }
  for (const c of Object.values(counts)) {
    if (typeof c !== 'object' || c === null || typeof (c as PreviewCounts).comments !== 'number' || typeof (c as PreviewCounts).attachments !== 'number') return null;
  }
  if (!tags.every((t) => typeof t === 'object' && t !== null && isString((t as Tag).id) && isString((t as Tag).name) && isNullableString((t as Tag).color) && isNullableString((t as Tag).deleted_at))) {
    return null;
  }
  return data as BoardPreview;
}

/** The highest docUpdates seq of the project (the row written last), or null when none is stored. */
export async function lastUpdateSeq(db: FieldboardDb, projectId: string): Promise<number | null> {
  const [seq] = await db.docUpdates.where('projectId').equals(projectId).reverse().limit(1).primaryKeys();
  return seq ?? null;
}

/** The stored preview data if it was written after the project's current last update row, else null. */
export async function readBoardPreview(db: FieldboardDb, projectId: string): Promise<unknown> {
  const [row, seq] = await Promise.all([db.boardPreviews.get(projectId), lastUpdateSeq(db, projectId)]);
  if (!row || row.version !== PREVIEW_VERSION || seq === null || row.seq !== seq) return null;
  return row.data;
}

/**
 * Stores `data` as reflecting the project's updates stored so far. Call it in the same queue as the update
 * appends, with data captured when it was queued, so the seq read here covers exactly what `data` shows.
 */
export async function writeBoardPreview(db: FieldboardDb, projectId: string, data: BoardPreview): Promise<void> {
  const seq = await lastUpdateSeq(db, projectId);
  if (seq === null) return;
  await db.boardPreviews.put({ projectId, version: PREVIEW_VERSION, seq, data, savedAt: Date.now() });
}
