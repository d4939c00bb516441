// Checklist writers. The checklist is a Y.Array of Y.Maps {id, text, done}. Yjs arrays have no move, so a
// reorder deletes the item and inserts a copy: two concurrent reorders of one item leave two copies (readers
// keep the first, and edits/toggles/removals apply to every copy), and a toggle concurrent with a reorder of
// the same item is lost (DOC-MODEL.md, "Known limits").
import * as Y from 'yjs';
import { write, type Write } from './layout.ts';
import { requireTask, checklistItemMap } from './tasks.ts';
import { CHECKLIST_ITEM_MAX, CHECKLIST_MAX_ITEMS, DocModelError, type WriteContext } from './types.ts';
import * as v from './validate.ts';

function checklistOf(map: Y.Map<unknown>, create: boolean): Y.Array<unknown> | null {
  const arr = map.get('checklist');
  if (arr instanceof Y.Array) return arr;
  if (!create) return null;
  const fresh = new Y.Array<unknown>();
  map.set('checklist', fresh);
  return fresh;
}

/** Indexes of every copy of the item, NOT_FOUND when there is none. */
function copiesOf(arr: Y.Array<unknown> | null, itemId: string): number[] {
  const found: number[] = [];
  arr?.forEach((item, i) => {
    if (item instanceof Y.Map && item.get('id') === itemId) found.push(i);
  });
  if (found.length === 0) throw new DocModelError('NOT_FOUND', `checklist item ${itemId} not found`);
  return found;
}

function touch(task: Y.Map<unknown>, w: Write): void {
  task.set('updated_at', w.now);
}

export function addChecklistItem(doc: Y.Doc, taskId: string, text: string, ctx?: WriteContext): string {
  return write(doc, ctx, (w) => {
    const task = requireTask(doc, taskId);
    const value = v.text('checklist item text', text, CHECKLIST_ITEM_MAX);
    const existing = checklistOf(task.map, false);
    if (existing && existing.length >= CHECKLIST_MAX_ITEMS) v.invalid(`a checklist holds at most ${CHECKLIST_MAX_ITEMS} items`);
    const id = v.checklistId(w.newId());
    checklistOf(task.map, true)?.push([checklistItemMap({ id, text: value, done: false })]);
    touch(task.map, w);
    return id;
  });
}

export function editChecklistItem(doc: Y.Doc, taskId: string, itemId: string, text: string, ctx?: WriteContext): void {
  write(doc, ctx, (w) => {
    const task = requireTask(doc, taskId);
    const value = v.text('checklist item text', text, CHECKLIST_ITEM_MAX);
    const arr = checklistOf(task.map, false);
    for (const i of copiesOf(arr, itemId)) (arr?.get(i) as Y.Map<unknown>).set('text', value);
    touch(task.map, w);
  });
}

/** Sets done (or flips it when `done` is omitted, based on the first copy). */
export function toggleChecklistItem(doc: Y.Doc, taskId: string, itemId: string, done?: boolean, ctx?: WriteContext): void {
  write(doc, ctx, (w) => {
    const task = requireTask(doc, taskId);
    if (done !== undefined && typeof done !== 'boolean') v.invalid('done must be a boolean');
    const arr = checklistOf(task.map, false);
    const copies = copiesOf(arr, itemId);
    const next = done ?? (arr?.get(copies[0]) as Y.Map<unknown>).get('done') !== true;
    for (const i of copies) (arr?.get(i) as Y.Map<unknown>).set('done', next);
    touch(task.map, w);
  });
}

/** Moves the item so that it ends at `toIndex` of the checklist as read (clamped to the list). */
export function moveChecklistItem(doc: Y.Doc, taskId: string, itemId: string, toIndex: number, ctx?: WriteContext): void {
  write(doc, ctx, (w) => {
    const task = requireTask(doc, taskId);
    if (!Number.isInteger(toIndex)) v.invalid('toIndex must be an integer');
    const arr = checklistOf(task.map, false);
    const copies = copiesOf(arr, itemId);
    if (!arr) return;
    const first = arr.get(copies[0]) as Y.Map<unknown>;
    const item = { id: itemId, text: String(first.get('text') ?? ''), done: first.get('done') === true };
    for (const i of [...copies].reverse()) arr.delete(i, 1);
    // Target index counted in the array without the item; other malformed entries count as positions too,
    // which only matters for documents a foreign client damaged.
    const index = Math.max(0, Math.min(toIndex, arr.length));
    arr.insert(index, [checklistItemMap(item)]);
    touch(task.map, w);
  });
}

export function removeChecklistItem(doc: Y.Doc, taskId: string, itemId: string, ctx?: WriteContext): void {
  write(doc, ctx, (w) => {
    const task = requireTask(doc, taskId);
    const arr = checklistOf(task.map, false);
    for (const i of [...copiesOf(arr, itemId)].reverse()) arr?.delete(i, 1);
    touch(task.map, w);
  });
}
