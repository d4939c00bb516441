// PATCH {checklist: [...]} replaces a task's checklist through the doc-model's item writers, so that
// concurrent edits of other items (from live clients) survive: items named by a known id are edited in
// place, the others are added, missing ones removed, then the order is set.
import type * as Y from 'yjs';
import {
  addChecklistItem,
  editChecklistItem,
  moveChecklistItem,
  readTask,
  removeChecklistItem,
  toggleChecklistItem,
  type WriteContext,
} from '../../../shared/doc-model.ts';

export interface ChecklistItemInput {
  id?: string;
  text: string;
  done?: boolean;
}

/** Checks what can be checked up front and returns the change to run (inside the same transaction). */
export function applyChecklist(doc: Y.Doc, taskId: string, items: ChecklistItemInput[], ctx: WriteContext): () => void {
  return () => {
    const current = readTask(doc, taskId)?.checklist ?? [];
    const known = new Map(current.map((item) => [item.id, item]));
    const wanted = new Set(items.flatMap((item) => (item.id && known.has(item.id) ? [item.id] : [])));
    for (const item of current) if (!wanted.has(item.id)) removeChecklistItem(doc, taskId, item.id, ctx);
    const order: string[] = [];
    for (const item of items) {
      const existing = item.id ? known.get(item.id) : undefined;
      if (existing && !order.includes(existing.id)) {
        if (existing.text !== item.text) editChecklistItem(doc, taskId, existing.id, item.text, ctx);
        if (item.done !== undefined && existing.done !== item.done) toggleChecklistItem(doc, taskId, existing.id, item.done, ctx);
        order.push(existing.id);
      } else {
        const id = addChecklistItem(doc, taskId, item.text, ctx);
        if (item.done) toggleChecklistItem(doc, taskId, id, true, ctx);
        order.push(id);
      }
    }
    const now = readTask(doc, taskId)?.checklist.map((item) => item.id) ?? [];
    order.forEach((id, index) => {
      if (now[index] !== id) {
        moveChecklistItem(doc, taskId, id, index, ctx);
        now.splice(now.indexOf(id), 1);
        now.splice(index, 0, id);
      }
    });
  };
}
