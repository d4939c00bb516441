// Task writers. Each is one transaction; every value is validated before the first write.
import * as Y from 'yjs';
import { entryOf, tagsMap, tasksMap, write } from './layout.ts';
import { readStatus } from './parse.ts';
import { rankFor, writePosition } from './position.ts';
import {
  CHECKLIST_ITEM_MAX,
  CHECKLIST_MAX_ITEMS,
  DESCRIPTION_MAX,
  DocModelError,
  TAGS_PER_TASK_MAX,
  TITLE_MAX,
  type MoveTarget,
  type TaskInput,
  type TaskPatch,
  type WriteContext,
} from './types.ts';
import * as v from './validate.ts';

const PATCH_KEYS = new Set<string>(['title', 'description', 'status', 'priority', 'assignee_id', 'due_date', 'estimated_hours', 'actual_hours', 'tag_ids']);
const INPUT_KEYS = new Set<string>([...PATCH_KEYS, 'id', 'reporter_id', 'checklist', 'before_id', 'after_id']);

function rejectUnknownKeys(what: string, value: object, allowed: Set<string>): void {
  for (const key of Object.keys(value)) if (!allowed.has(key)) v.invalid(`${what}: unknown field ${JSON.stringify(key)}`);
}

/** The task's Y.Map; NOT_FOUND when absent, INVALID when another client wrote something unreadable there. */
export function requireTask(doc: Y.Doc, id: unknown): { id: string; map: Y.Map<unknown> } {
  const taskId = v.uuid('task id', id);
  const value = tasksMap(doc).get(taskId);
  if (value === undefined) throw new DocModelError('NOT_FOUND', `task ${taskId} not found`);
  if (!(value instanceof Y.Map) || readStatus(value) === null) v.invalid(`task ${taskId} is malformed in the document and cannot be edited`);
  return { id: taskId, map: value };
}

/** New tag ids must name live tags; ids the task already has may stay even if that tag was deleted since. */
function checkTagsExist(doc: Y.Doc, ids: string[], current: Set<string>): void {
  for (const id of ids) {
    if (current.has(id)) continue;
    const tag = entryOf(tagsMap(doc), id);
    if (!tag) throw new DocModelError('NOT_FOUND', `tag ${id} not found`);
    if (typeof tag.get('deleted_at') === 'string') v.invalid(`tag ${id} is deleted`);
  }
}

function currentTagIds(map: Y.Map<unknown>): Set<string> {
  const set = map.get('tag_ids');
  return new Set(set instanceof Y.Map ? [...set.keys()].filter((k) => set.get(k) === true) : []);
}

/** Applies a set as a diff, so concurrent additions by others to the same task survive [DM4]. */
function writeTagIds(map: Y.Map<unknown>, ids: string[]): void {
  let set = map.get('tag_ids');
  if (!(set instanceof Y.Map)) {
    set = new Y.Map<unknown>();
    map.set('tag_ids', set);
  }
  const tagSet = set as Y.Map<unknown>;
  const want = new Set(ids);
  for (const key of [...tagSet.keys()]) if (!want.has(key)) tagSet.delete(key);
  for (const id of ids) if (tagSet.get(id) !== true) tagSet.set(id, true);
}

/**
 * Replaces a Y.Text's content by editing only the changed middle, so a concurrent edit elsewhere in the
 * same description survives [DM5]. The cut never splits a UTF-16 surrogate pair.
 */
export function replaceText(ytext: Y.Text, next: string): void {
  const prev = ytext.toString();
  if (prev === next) return;
  let start = 0;
  const max = Math.min(prev.length, next.length);
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
  if (start > 0 && isHighSurrogate(prev.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < max - start && prev.charCodeAt(prev.length - 1 - end) === next.charCodeAt(next.length - 1 - end)) end++;
  if (end > 0 && isLowSurrogate(prev.charCodeAt(prev.length - end))) end--;
  const removed = prev.length - start - end;
  if (removed > 0) ytext.delete(start, removed);
  const inserted = next.slice(start, next.length - end);
  if (inserted) ytext.insert(start, inserted);
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

export function createTask(doc: Y.Doc, input: TaskInput, ctx?: WriteContext): string {
  return write(doc, ctx, (w) => {
    if (typeof input !== 'object' || input === null) v.invalid('task input must be an object');
    rejectUnknownKeys('task', input, INPUT_KEYS);
    const id = v.uuid('id', input.id ?? w.newId()).toLowerCase();
    if (tasksMap(doc).has(id)) v.invalid(`a task with id ${id} already exists`);
    const title = v.text('title', input.title, TITLE_MAX);
    const description = v.longText('description', input.description ?? '', DESCRIPTION_MAX);
    const status = v.status(input.status ?? 'TODO');
    const priority = v.priority(input.priority ?? 'MEDIUM');
    const assignee = v.optionalUuid('assignee_id', input.assignee_id);
    const reporter =
      input.reporter_id !== undefined ? v.optionalUuid('reporter_id', input.reporter_id) : v.isUuid(w.ctx.userId) ? w.ctx.userId.toLowerCase() : null;
    const due = v.optionalDate('due_date', input.due_date);
    const estimated = v.optionalHours('estimated_hours', input.estimated_hours);
    const actual = v.optionalHours('actual_hours', input.actual_hours);
    const tagIds = v.uuidList('tag_ids', input.tag_ids ?? [], TAGS_PER_TASK_MAX);
    checkTagsExist(doc, tagIds, new Set());
    const checklistInput = input.checklist ?? [];
    if (!Array.isArray(checklistInput) || checklistInput.length > CHECKLIST_MAX_ITEMS) {
      v.invalid(`checklist must be an array of at most ${CHECKLIST_MAX_ITEMS} items`);
    }
    const checklist = checklistInput.map((item, i) => ({
      id: v.checklistId(item.id ?? w.newId()),
      text: v.text(`checklist[${i}].text`, item.text, CHECKLIST_ITEM_MAX),
      done: item.done === true,
    }));
    if (new Set(checklist.map((c) => c.id)).size !== checklist.length) v.invalid('checklist item ids must not repeat');
    const rank = rankFor(w, status, id, { after_id: input.after_id, before_id: input.before_id });

    const map = new Y.Map<unknown>();
    tasksMap(doc).set(id, map);
    writePosition(map, status, rank, w);
    map.set('title', title);
    const text = new Y.Text();
    map.set('description', text);
    if (description) text.insert(0, description);
    map.set('priority', priority);
    map.set('assignee_id', assignee);
    map.set('reporter_id', reporter);
    map.set('due_date', due);
    map.set('estimated_hours', estimated);
    map.set('actual_hours', actual);
    map.set('created_at', w.now);
    map.set('updated_at', w.now);
    map.set('deleted_at', null);
    writeTagIds(map, tagIds);
    const items = new Y.Array<Y.Map<unknown>>();
    map.set('checklist', items);
    items.push(checklist.map((c) => checklistItemMap(c)));
    return id;
  });
}

export function checklistItemMap(item: { id: string; text: string; done: boolean }): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  m.set('id', item.id);
  m.set('text', item.text);
  m.set('done', item.done);
  return m;
}

export function updateTask(doc: Y.Doc, id: string, patch: TaskPatch, ctx?: WriteContext): void {
  write(doc, ctx, (w) => {
    if (typeof patch !== 'object' || patch === null) v.invalid('task patch must be an object');
    rejectUnknownKeys('task patch', patch, PATCH_KEYS);
    const task = requireTask(doc, id);
    const fields = new Map<string, unknown>();
    if (patch.title !== undefined) fields.set('title', v.text('title', patch.title, TITLE_MAX));
    if (patch.priority !== undefined) fields.set('priority', v.priority(patch.priority));
    if (patch.assignee_id !== undefined) fields.set('assignee_id', v.optionalUuid('assignee_id', patch.assignee_id));
    if (patch.due_date !== undefined) fields.set('due_date', v.optionalDate('due_date', patch.due_date));
    if (patch.estimated_hours !== undefined) fields.set('estimated_hours', v.optionalHours('estimated_hours', patch.estimated_hours));
    if (patch.actual_hours !== undefined) fields.set('actual_hours', v.optionalHours('actual_hours', patch.actual_hours));
    const description = patch.description === undefined ? undefined : v.longText('description', patch.description, DESCRIPTION_MAX);
    const tagIds = patch.tag_ids === undefined ? undefined : v.uuidList('tag_ids', patch.tag_ids, TAGS_PER_TASK_MAX);
    if (tagIds) checkTagsExist(doc, tagIds, currentTagIds(task.map));
    const status = patch.status === undefined ? undefined : v.status(patch.status);
    const moving = status !== undefined && status !== readStatus(task.map);
    const rank = moving ? rankFor(w, status, task.id, {}) : null;

    let changed = false;
    if (moving && rank !== null) {
      writePosition(task.map, status, rank, w);
      changed = true;
    }
    for (const [key, value] of fields) {
      if (task.map.get(key) === value) continue;
      task.map.set(key, value);
      changed = true;
    }
    if (description !== undefined && writeDescription(task.map, description)) changed = true;
    if (tagIds !== undefined && !sameSet(currentTagIds(task.map), tagIds)) {
      writeTagIds(task.map, tagIds);
      changed = true;
    }
    if (changed) task.map.set('updated_at', w.now);
  });
}

function sameSet(a: Set<string>, b: string[]): boolean {
  return a.size === b.length && b.every((x) => a.has(x));
}

function writeDescription(map: Y.Map<unknown>, next: string): boolean {
  const current = map.get('description');
  if (current instanceof Y.Text) {
    if (current.toString() === next) return false;
    replaceText(current, next);
    return true;
  }
  // A foreign client left no Y.Text: make one (a concurrent writer doing the same keeps only one of them).
  const text = new Y.Text();
  map.set('description', text);
  if (next) text.insert(0, next);
  return true;
}

export function moveTask(doc: Y.Doc, id: string, to: MoveTarget, ctx?: WriteContext): void {
  write(doc, ctx, (w) => {
    if (typeof to !== 'object' || to === null) v.invalid('move target must be an object');
    const task = requireTask(doc, id);
    const status = v.status(to.status);
    const rank = rankFor(w, status, task.id, to);
    writePosition(task.map, status, rank, w);
    task.map.set('updated_at', w.now);
  });
}

/** Soft delete: the task keeps every field and concurrent edits to it, and restoreTask brings it back [DM6]. */
export function deleteTask(doc: Y.Doc, id: string, ctx?: WriteContext): void {
  write(doc, ctx, (w) => {
    const task = requireTask(doc, id);
    if (typeof task.map.get('deleted_at') === 'string') return;
    task.map.set('deleted_at', w.now);
    task.map.set('updated_at', w.now);
  });
}

export function restoreTask(doc: Y.Doc, id: string, ctx?: WriteContext): void {
  write(doc, ctx, (w) => {
    const task = requireTask(doc, id);
    if (task.map.get('deleted_at') == null) return;
    task.map.set('deleted_at', null);
    task.map.set('updated_at', w.now);
  });
}

export function setTaskTags(doc: Y.Doc, taskId: string, tagIds: string[], ctx?: WriteContext): void {
  updateTask(doc, taskId, { tag_ids: tagIds }, ctx);
}

/** The live Y.Text for collaborative editing (bind it to the editor); null when absent or malformed. */
export function getDescription(doc: Y.Doc, taskId: string): Y.Text | null {
  const task = entryOf(tasksMap(doc), taskId);
  const text = task?.get('description');
  return text instanceof Y.Text ? text : null;
}
