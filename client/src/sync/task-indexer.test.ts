import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, createTask, deleteTask, getDescription, moveTask, updateTask } from '../../../shared/doc-model.ts';
import { createUserDb, type FieldboardDb } from '../db/database.ts';
import { searchTasks } from '../db/live-queries.ts';
import { TaskIndexer, titleWords, touchedTaskIds } from './task-indexer.ts';

const USER_1 = '3f2b1a00-aaaa-4bbb-8ccc-0123456789ab';
let db: FieldboardDb;
afterEach(async () => {
  await db?.delete();
});

function lastTouched(doc: Y.Doc, fn: () => void): string[] {
  let ids: Set<string> = new Set();
  const listener = (tr: Y.Transaction) => (ids = touchedTaskIds(doc, tr));
  doc.on('afterTransaction', listener);
  fn();
  doc.off('afterTransaction', listener);
  return [...ids].sort();
}

describe('task index', () => {
  it('finds the task behind any change: fields, nested description, comments', () => {
    const doc = new Y.Doc();
    const a = createTask(doc, { title: 'Alpha' });
    const b = createTask(doc, { title: 'Beta' });
    expect(lastTouched(doc, () => updateTask(doc, a, { priority: 'HIGH' }))).toEqual([a]);
    expect(lastTouched(doc, () => getDescription(doc, b)!.insert(0, 'typed'))).toEqual([b]);
    expect(lastTouched(doc, () => addComment(doc, { task_id: a, content: 'hi', author_id: null }))).toEqual([a]);
    expect(lastTouched(doc, () => moveTask(doc, b, { status: 'DONE' }))).toEqual([b]);
  });

  it('keeps IndexedDB rows in step with the document and can rebuild them', async () => {
    db = createUserDb(`u-${crypto.randomUUID()}`);
    const doc = new Y.Doc();
    const pump = createTask(doc, { title: 'Repair the pump', assignee_id: USER_1 });
    createTask(doc, { title: 'Paint the pump house' });
    const indexer = new TaskIndexer(db, 'p1', doc);
    await indexer.rebuild();
    expect(await db.tasks.where('[project_id+status]').equals(['p1', 'TODO']).count()).toBe(2);

    const apply = (tr: Y.Transaction) => indexer.apply(tr, !tr.local);
    doc.on('afterTransaction', apply);
    moveTask(doc, pump, { status: 'IN_PROGRESS' });
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    const fence = createTask(remote, { title: 'Fence posts' });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)));
    await indexer.flush();
    doc.off('afterTransaction', apply);

    expect((await db.tasks.get(pump))?.status).toBe('IN_PROGRESS');
    expect((await db.tasks.where('assignee_id').equals(USER_1).toArray()).map((t) => t.id)).toEqual([pump]);
    expect((await searchTasks(db, 'pum')).map((t) => t.title).sort()).toEqual(['Paint the pump house', 'Repair the pump']);
    expect((await searchTasks(db, 'pump rep')).map((t) => t.title)).toEqual(['Repair the pump']);
    // Only the change that came from elsewhere is marked as changed by others.
    expect((await db.changedTasks.toArray()).map((c) => c.taskId)).toEqual([fence]);

    deleteTask(doc, pump);
    await db.tasks.clear();
    await indexer.rebuild();
    expect((await db.tasks.get(pump))?.deleted).toBe(1);
    expect(await searchTasks(db, 'repair')).toEqual([]);
    expect(await db.tasks.count()).toBe(3);
  });

  it('skips a full rebuild when the rows already match the document state', async () => {
    db = createUserDb(`u-${crypto.randomUUID()}`);
    const doc = new Y.Doc();
    const id = createTask(doc, { title: 'Only one' });
    await new TaskIndexer(db, 'p', doc).rebuild();
    await db.tasks.update(id, { title: 'tampered' });
    // Same document state: the (tampered) row is left alone, proving nothing was re-read.
    await new TaskIndexer(db, 'p', doc).rebuildIfStale();
    expect((await db.tasks.get(id))?.title).toBe('tampered');
    // Any change to the document (here a deletion only) makes the rows stale.
    getDescription(doc, id)!.insert(0, 'abc');
    await new TaskIndexer(db, 'p', doc).rebuild();
    await db.tasks.update(id, { title: 'tampered' });
    getDescription(doc, id)!.delete(0, 1);
    await new TaskIndexer(db, 'p', doc).rebuildIfStale();
    expect((await db.tasks.get(id))?.title).toBe('Only one');
  });

  it('splits titles into lower-case words of any script', () => {
    expect(titleWords('Fix the Gate, gate #3 — Tür öffnen')).toEqual(['fix', 'the', 'gate', '3', 'tür', 'öffnen']);
  });
});
