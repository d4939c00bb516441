// Keeps IndexedDB's task rows (list views, search, My tasks) in step with one project's document, and
// records tasks others changed while this user was away. Work per transaction is proportional to the
// tasks it touched; a full rebuild runs when the document is loaded, so the table can always be recreated.
import * as Y from 'yjs';
import { MAP, readTask, readTasks, type Task } from '../../../shared/doc-model.ts';
import type { FieldboardDb, TaskRecord } from '../db/database.ts';
import { toBytes } from '../db/update-store.ts';

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const FLUSH_DELAY_MS = 150;

export function titleWords(title: string): string[] {
  const words = title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].slice(0, 50);
}

export function toTaskRecord(projectId: string, task: Task): TaskRecord {
  return {
    id: task.id,
    project_id: projectId,
    title: task.title,
    status: task.status,
    priority: task.priority,
    assignee_id: task.assignee_id,
    due_date: task.due_date,
    tag_ids: task.tag_ids,
    title_words: titleWords(task.title),
    updated_at: task.updated_at,
    deleted: task.deleted_at ? 1 : 0,
  };
}

/** Ids of the tasks a transaction touched: the task entries themselves, anything nested in them, comments on them. */
export function touchedTaskIds(doc: Y.Doc, tr: Y.Transaction): Set<string> {
  const tasks: unknown = doc.getMap(MAP.tasks);
  const commentsMap = doc.getMap(MAP.comments);
  const comments: unknown = commentsMap;
  const ids = new Set<string>();
  const commentTask = (entry: unknown) => {
    const taskId = entry instanceof Y.Map ? entry.get('task_id') : null;
    if (typeof taskId === 'string') ids.add(taskId);
  };
  for (const [type, keys] of tr.changed) {
    if (type === tasks) {
      for (const key of keys) if (key) ids.add(key);
      continue;
    }
    if (type === comments) {
      for (const key of keys) if (key) commentTask(commentsMap.get(key));
      continue;
    }
    let current = type;
    while (current._item) {
      const parent = current._item.parent;
      if (parent === tasks) {
        if (current._item.parentSub) ids.add(current._item.parentSub);
        break;
      }
      if (parent === comments) {
        commentTask(current);
        break;
      }
      if (!(parent instanceof Y.AbstractType)) break;
      current = parent;
    }
  }
  return ids;
}

export class TaskIndexer {
  private dirty = new Set<string>();
  private byOthers = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: FieldboardDb, private readonly projectId: string, private readonly doc: Y.Doc) {}

  /**
   * Rebuilds unless the rows already reflect this exact document state (same state vector and delete set),
   * which saves reading every task of a large board each time it is opened.
   */
  async rebuildIfStale(): Promise<unknown> {
    const meta = await this.db.docMeta.get(this.projectId);
    const stored = meta?.indexedSnapshot ? toBytes(meta.indexedSnapshot) : null;
    if (stored && equalBytes(stored, Y.encodeSnapshot(Y.snapshot(this.doc)))) return;
    return this.rebuild();
  }

  /** Replaces the project's rows with a fresh projection of the whole document. */
  rebuild(): Promise<unknown> {
    const snapshot = Y.encodeSnapshot(Y.snapshot(this.doc));
    const records = readTasks(this.doc, { includeDeleted: true }).tasks.map((t) => toTaskRecord(this.projectId, t));
    const keep = new Set(records.map((r) => r.id));
    this.chain = this.chain
      .then(() =>
        this.db.transaction('rw', this.db.tasks, this.db.docMeta, async () => {
          const existing = await this.db.tasks.where('project_id').equals(this.projectId).primaryKeys();
          await this.db.tasks.bulkDelete(existing.filter((id) => !keep.has(id)));
          await this.db.tasks.bulkPut(records);
          await this.rememberSnapshot(snapshot);
        }),
      )
      .catch((error: unknown) => console.warn('fieldboard: task index rebuild failed', error));
    return this.chain;
  }

  private async rememberSnapshot(snapshot: Uint8Array): Promise<void> {
    // Rows reflect the document at this snapshot only if no other change is still waiting to be written.
    const value = this.dirty.size === 0 ? snapshot : null;
    const updated = await this.db.docMeta.update(this.projectId, { indexedSnapshot: value });
    if (!updated) await this.db.docMeta.put({ projectId: this.projectId, savedVector: null, lastSavedAt: null, ownClientIds: [], everSynced: 0, indexedSnapshot: value });
  }

  apply(tr: Y.Transaction, changedByOthers: boolean): void {
    const ids = touchedTaskIds(this.doc, tr);
    if (ids.size === 0) return;
    for (const id of ids) {
      this.dirty.add(id);
      if (changedByOthers) this.byOthers.add(id);
    }
    if (!this.timer) this.timer = setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** Writes pending row changes now (also used by tests). */
  flush(): Promise<unknown> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ids = [...this.dirty];
    const others = [...this.byOthers];
    this.dirty.clear();
    this.byOthers.clear();
    const upserts: TaskRecord[] = [];
    const removals: string[] = [];
    for (const id of ids) {
      const task = readTask(this.doc, id);
      if (task) upserts.push(toTaskRecord(this.projectId, task));
      else removals.push(id);
    }
    const now = Date.now();
    const snapshot = Y.encodeSnapshot(Y.snapshot(this.doc));
    this.chain = this.chain
      .then(() =>
        this.db.transaction('rw', this.db.tasks, this.db.changedTasks, this.db.docMeta, async () => {
          await this.db.tasks.bulkPut(upserts);
          await this.db.tasks.bulkDelete(removals);
          await this.rememberSnapshot(snapshot);
          await this.db.changedTasks.bulkPut(others.map((taskId) => ({ projectId: this.projectId, taskId, changedAt: now })));
        }),
      )
      .catch((error: unknown) => console.warn('fieldboard: task index update failed', error));
    return this.chain;
  }
}
