// Tolerant parsing of document entries into plain objects. Anything a buggy or newer client may have
// written is handled here: an entry that cannot be placed (not a Y.Map, non-UUID id, unknown status) is
// skipped and reported; a malformed optional field falls back to a deterministic default and is reported.
// Unknown fields are ignored here and never touched by writers, so they survive. Nothing here throws.
import * as Y from 'yjs';
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '../api.ts';
import type { Attachment, ChecklistItem, Comment, ReadProblem, Tag, Task } from './types.ts';
import { isHours, isIsoDate, isIsoTimestamp, isUuid } from './validate.ts';

/** Stand-in for a missing creation time: deterministic, so every replica projects the same row. */
export const EPOCH = '1970-01-01T00:00:00.000Z';

export class FieldReader {
  constructor(
    private readonly map: Y.Map<unknown>,
    private readonly mapName: string,
    private readonly id: string,
    private readonly problems: ReadProblem[],
  ) {}

  report(reason: string): void {
    this.problems.push({ map: this.mapName, id: this.id, reason });
  }

  /** A field that may hold `fallback`'s kind or be absent; anything else is reported. */
  private field<T>(key: string, ok: (v: unknown) => v is T, fallback: T, absentIsFine: boolean): T {
    const v = this.map.get(key);
    if (ok(v)) return v;
    if (!(absentIsFine && (v === undefined || v === null))) this.report(`${key}: unexpected value ${describe(v)}, read as ${JSON.stringify(fallback)}`);
    return fallback;
  }

  string(key: string, fallback = ''): string {
    return this.field(key, isString, fallback, false);
  }
  uuidOrNull(key: string): string | null {
    return this.field<string | null>(key, isUuid, null, true)?.toLowerCase() ?? null;
  }
  dateOrNull(key: string): string | null {
    return this.field<string | null>(key, isIsoDate, null, true);
  }
  hoursOrNull(key: string): number | null {
    return this.field<number | null>(key, isHours, null, true);
  }
  timestamp(key: string, fallback: string): string {
    return this.field(key, isIsoTimestamp, fallback, false);
  }
  timestampOrNull(key: string): string | null {
    return this.field<string | null>(key, isIsoTimestamp, null, true);
  }
  enumValue<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    return this.field(key, (v): v is T => (allowed as readonly unknown[]).includes(v), fallback, false);
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';

function describe(v: unknown): string {
  if (v instanceof Y.AbstractType) return v.constructor.name;
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return typeof v;
  }
}

/** The entry's Y.Map when its id and shape allow reading it at all; otherwise reports and returns null. */
export function entryMap(mapName: string, id: string, value: unknown, problems: ReadProblem[]): Y.Map<unknown> | null {
  // Lower-case only: ids are compared as strings everywhere (and are SQL primary keys), so 'A…' and 'a…'
  // must not both exist.
  if (!isUuid(id) || id !== id.toLowerCase()) {
    problems.push({ map: mapName, id, reason: 'id is not a lower-case UUID: entry skipped' });
    return null;
  }
  if (!(value instanceof Y.Map)) {
    problems.push({ map: mapName, id, reason: `entry is ${describe(value)}, not a Y.Map: skipped` });
    return null;
  }
  return value;
}

export function readStatus(map: Y.Map<unknown>): TaskStatus | null {
  const v = map.get('status');
  return (TASK_STATUSES as readonly unknown[]).includes(v) ? (v as TaskStatus) : null;
}

export function readRank(map: Y.Map<unknown>): string {
  const v = map.get('rank');
  return typeof v === 'string' ? v : '';
}

export function readTagIds(map: Y.Map<unknown>): string[] {
  const set = map.get('tag_ids');
  if (!(set instanceof Y.Map)) return [];
  const ids = new Set<string>();
  for (const [tagId, present] of set.entries()) if (present === true && isUuid(tagId)) ids.add(tagId.toLowerCase());
  return [...ids].sort();
}

/** Checklist in array order; an id seen twice (two concurrent reorders each re-inserted it) keeps its first copy. */
export function readChecklist(map: Y.Map<unknown>, r?: FieldReader): ChecklistItem[] {
  const arr = map.get('checklist');
  if (!(arr instanceof Y.Array)) {
    if (arr !== undefined) r?.report('checklist: not a Y.Array, read as []');
    return [];
  }
  const seen = new Set<string>();
  const items: ChecklistItem[] = [];
  for (const item of arr.toArray()) {
    if (!(item instanceof Y.Map)) {
      r?.report('checklist: an item is not a Y.Map: skipped');
      continue;
    }
    const id = item.get('id');
    const text = item.get('text');
    if (typeof id !== 'string' || id === '' || typeof text !== 'string') {
      r?.report('checklist: an item lacks a string id or text: skipped');
      continue;
    }
    if (seen.has(id)) continue;
    seen.add(id);
    items.push({ id, text, done: item.get('done') === true });
  }
  return items;
}

export function readDescription(map: Y.Map<unknown>, r: FieldReader): string {
  const v = map.get('description');
  if (v instanceof Y.Text) return v.toString();
  if (typeof v === 'string') {
    r.report('description: a plain string instead of a Y.Text (read, but not collaboratively editable)');
    return v;
  }
  if (v !== undefined) r.report(`description: unexpected value ${describe(v)}, read as ""`);
  return '';
}

export function parseTask(id: string, value: unknown, problems: ReadProblem[]): Task | null {
  const map = entryMap('tasks', id, value, problems);
  if (!map) return null;
  const status = readStatus(map);
  if (status === null) {
    problems.push({ map: 'tasks', id, reason: `status ${describe(map.get('status'))} is not one this app knows: skipped` });
    return null;
  }
  const r = new FieldReader(map, 'tasks', id, problems);
  if (typeof map.get('rank') !== 'string') r.report('rank: missing or not a string, read as ""');
  const created_at = r.timestamp('created_at', EPOCH);
  return {
    id,
    title: r.string('title'),
    description: readDescription(map, r),
    status,
    priority: r.enumValue<TaskPriority>('priority', TASK_PRIORITIES, 'MEDIUM'),
    assignee_id: r.uuidOrNull('assignee_id'),
    reporter_id: r.uuidOrNull('reporter_id'),
    due_date: r.dateOrNull('due_date'),
    estimated_hours: r.hoursOrNull('estimated_hours'),
    actual_hours: r.hoursOrNull('actual_hours'),
    created_at,
    updated_at: r.timestamp('updated_at', created_at),
    completed_at: r.timestampOrNull('completed_at'),
    deleted_at: r.timestampOrNull('deleted_at'),
    rank: readRank(map),
    tag_ids: readTagIds(map),
    checklist: readChecklist(map, r),
  };
}

export function parseComment(id: string, value: unknown, problems: ReadProblem[]): Comment | null {
  const map = entryMap('comments', id, value, problems);
  if (!map) return null;
  const taskId = map.get('task_id');
  if (!isUuid(taskId)) {
    problems.push({ map: 'comments', id, reason: 'task_id is not a UUID: skipped' });
    return null;
  }
  const r = new FieldReader(map, 'comments', id, problems);
  return {
    id,
    task_id: taskId.toLowerCase(),
    parent_id: r.uuidOrNull('parent_id'),
    author_id: r.uuidOrNull('author_id'),
    content: r.string('content'),
    created_at: r.timestamp('created_at', EPOCH),
    edited_at: r.timestampOrNull('edited_at'),
    deleted_at: r.timestampOrNull('deleted_at'),
  };
}

export function parseTag(id: string, value: unknown, problems: ReadProblem[]): Tag | null {
  const map = entryMap('tags', id, value, problems);
  if (!map) return null;
  const r = new FieldReader(map, 'tags', id, problems);
  const color = map.get('color');
  const tag: Tag = {
    id,
    name: r.string('name'),
    color: typeof color === 'string' ? color : null,
    deleted_at: r.timestampOrNull('deleted_at'),
  };
  const created = map.get('created_at');
  const updated = map.get('updated_at');
  if (isIsoTimestamp(created)) tag.created_at = created;
  if (isIsoTimestamp(updated)) tag.updated_at = updated;
  return tag;
}

export function parseAttachment(id: string, value: unknown, problems: ReadProblem[]): Attachment | null {
  const map = entryMap('attachments', id, value, problems);
  if (!map) return null;
  const taskId = map.get('task_id');
  if (!isUuid(taskId)) {
    problems.push({ map: 'attachments', id, reason: 'task_id is not a UUID: skipped' });
    return null;
  }
  const r = new FieldReader(map, 'attachments', id, problems);
  const size = map.get('size');
  const sha = map.get('sha256');
  return {
    id,
    task_id: taskId.toLowerCase(),
    name: r.string('name'),
    size: typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : 0,
    mime: r.string('mime', 'application/octet-stream'),
    sha256: typeof sha === 'string' && /^[0-9a-f]{64}$/.test(sha) ? sha : null,
    uploaded_by: r.uuidOrNull('uploaded_by'),
    created_at: r.timestamp('created_at', EPOCH),
    deleted_at: r.timestampOrNull('deleted_at'),
  };
}
