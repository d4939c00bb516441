import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addAttachment, addComment, createTag, createTask, deleteComment, editComment, getDescription, initDoc, moveTask, readTask, readTasks, updateTask } from './doc-model.ts';
import { applyDelta, isEmptyDelta, projectDoc, projectTransaction, projectUpdate, type ProjectionDelta, type ProjectionRows } from './projection.ts';
import { bulkTasks } from './test/bulk.ts';
import { applyRandomOp } from './test/fuzz.ts';
import { replicas, syncAll, testCtx } from './test/helpers.ts';
import { nothingPending } from './test/network.ts';
import { createRng } from './test/prng.ts';

/** Column names of a table in migrations/0001_init.sql, so the rows cannot drift from the schema unnoticed. */
function sqlColumns(table: string): string[] {
  const sql = readFileSync(new URL('../migrations/0001_init.sql', import.meta.url), 'utf8');
  const body = new RegExp(`CREATE TABLE ${table} \\(([\\s\\S]*?)\\n\\);`).exec(sql)?.[1] ?? '';
  return body
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((w) => w && /^[a-z_][a-z0-9_]*$/.test(w) && !['constraint', 'primary'].includes(w) && w !== 'project_id')
    .sort();
}

function fullDoc(): { doc: Y.Doc; task: string } {
  const doc = new Y.Doc();
  const ctx = testCtx();
  initDoc(doc, ctx);
  const tag = createTag(doc, { name: 'bug' }, ctx);
  const task = createTask(doc, { title: 't', tag_ids: [tag], checklist: [{ text: 'x', id: 'c1' }] }, ctx);
  const c = addComment(doc, { task_id: task, content: 'hi', author_id: null }, ctx);
  addComment(doc, { task_id: task, parent_id: c, content: 'reply', author_id: null }, ctx);
  editComment(doc, c, 'hi!', ctx);
  addAttachment(doc, { id: '77777777-7777-4777-8777-777777777777', task_id: task, name: 'a', size: 1, mime: 'text/plain', sha256: null, uploaded_by: null }, ctx);
  return { doc, task };
}

describe('projection', () => {
  it('[DM11] rows carry exactly the SQL columns of 0001_init.sql (minus project_id)', () => {
    const rows = projectDoc(fullDoc().doc);
    expect(Object.keys(rows.tasks[0]).sort()).toEqual(sqlColumns('tasks'));
    expect(Object.keys(rows.comments[0]).sort()).toEqual(sqlColumns('comments'));
    expect(Object.keys(rows.tags[0]).sort()).toEqual(sqlColumns('tags'));
    expect(Object.keys(rows.attachments[0]).sort()).toEqual(sqlColumns('attachments'));
    expect(Object.keys(rows.taskTags[0]).sort()).toEqual(sqlColumns('task_tags').filter((c) => c !== 'created_at'));
  });

  it('[DM11] maps document fields to rows: parent_comment_id, comment updated_at, checklist array, tag links', () => {
    const { doc, task } = fullDoc();
    const rows = projectDoc(doc);
    const root = rows.comments.find((c) => c.content === 'hi!');
    const reply = rows.comments.find((c) => c.content === 'reply');
    expect(reply?.parent_comment_id).toBe(root?.id);
    expect(root?.updated_at).toBe(root?.edited_at);
    expect(rows.tasks[0].checklist).toEqual([{ id: 'c1', text: 'x', done: false }]);
    expect(rows.taskTags).toEqual([{ task_id: task, tag_id: rows.tags[0].id }]);
    expect(rows.attachments[0].updated_at).toBe(rows.attachments[0].created_at);
  });

  it('[DM11] identical documents project identical rows whatever order they were built in', () => {
    const [d1, d2, d3] = replicas(3);
    createTask(d1, { title: 'from 1' }, testCtx(1));
    createTask(d2, { title: 'from 2' }, testCtx(2));
    addComment(d2, { task_id: readTasks(d2).tasks[0].id, content: 'c', author_id: null }, testCtx(3));
    syncAll(d1, d2);
    Y.applyUpdate(d3, Y.encodeStateAsUpdate(d2));
    Y.applyUpdate(d3, Y.encodeStateAsUpdate(d1));
    expect(JSON.stringify(projectDoc(d3))).toBe(JSON.stringify(projectDoc(d1)));
    expect(JSON.stringify(projectDoc(d2))).toBe(JSON.stringify(projectDoc(d1)));
  });

  it('[DM11] a one-field edit in a 10,000-task document touches one row', () => {
    const doc = new Y.Doc();
    const ids = bulkTasks(doc, 10_000, createRng(5));
    expect(readTasks(doc).tasks).toHaveLength(10_000);
    const target = ids[4321];
    let delta: ProjectionDelta | null = null;
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.once('afterTransaction', (tr: Y.Transaction) => (delta = projectTransaction(doc, tr)));
    updateTask(doc, target, { title: 'renamed' });
    const local = delta as ProjectionDelta | null;
    expect(local?.tasks.upsert.map((r) => [r.id, r.title])).toEqual([[target, 'renamed']]);
    expect(local && touchedRows(local)).toBe(1);
    // The same on a replica receiving the update (the sync server's path).
    const received = projectUpdate(remote, () => Y.applyUpdate(remote, updates[0]));
    expect(received.tasks.upsert.map((r) => r.id)).toEqual([target]);
    expect(touchedRows(received)).toBe(1);
    // A keystroke in a description, and a move, stay proportional to the change too.
    const typed = projectUpdate(doc, () => getDescription(doc, ids[7])?.insert(0, 'x'));
    expect(touchedRows(typed)).toBe(1);
    const moved = projectUpdate(doc, () => moveTask(doc, ids[9], { status: 'DONE' }));
    expect(moved.tasks.upsert.map((r) => r.status)).toEqual(['DONE']);
    expect(touchedRows(moved)).toBe(2); // the row, and its tag links (re-sent with every status change)
  });

  it('[DM11] incremental projection over random edits equals the full projection, locally and on a receiving replica', () => {
    for (const seed of [1, 2]) {
      const rng = createRng(seed);
      const [a, b] = replicas(2);
      const ctx = { ...testCtx(seed), userId: null };
      let localRows: ProjectionRows = projectDoc(a);
      let remoteRows: ProjectionRows = projectDoc(b);
      a.on('afterTransaction', (tr: Y.Transaction) => {
        localRows = applyDelta(localRows, projectTransaction(a, tr));
      });
      a.on('update', (u: Uint8Array) => {
        remoteRows = applyDelta(remoteRows, projectUpdate(b, () => Y.applyUpdate(b, u)));
      });
      createTag(a, { name: 'x' }, ctx);
      for (let i = 0; i < 3; i++) createTask(a, { title: `t${i}` }, ctx);
      addComment(a, { task_id: readTasks(a).tasks[0].id, content: 'c', author_id: null }, ctx);
      for (let i = 0; i < 200; i++) {
        try {
          applyRandomOp(a, ctx, rng, rng.pick(['move', 'statusChange', 'description', 'fields', 'deleteTask', 'restoreTask', 'reply', 'deleteComment', 'tags', 'checklist', 'attachment', 'createTask'] as const), `${i}`);
        } catch (e) {
          if (!(e instanceof Error && e.name === 'DocModelError')) throw e;
        }
      }
      const full = JSON.stringify(projectDoc(a));
      expect(JSON.stringify(localRows)).toBe(full);
      expect(JSON.stringify(remoteRows)).toBe(full);
      expect(JSON.stringify(projectDoc(b))).toBe(full);
    }
  });

  it('[DM11] a move whose deletions arrive before its new values: the task leaves and comes back with its tag links', () => {
    const [d1, d2, d3] = replicas(3);
    const tag = createTag(d1, { name: 'bug' });
    const id = createTask(d1, { title: 't', tag_ids: [tag] });
    syncAll(d1, d2, d3);
    const updates: Uint8Array[] = [];
    d2.on('update', (u: Uint8Array) => updates.push(u));
    updateTask(d2, id, { title: 'renamed' });
    moveTask(d2, id, { status: 'DONE' });
    let rows = projectDoc(d3);
    // The move first: its structs wait for the rename (same client, earlier clock), its deletions apply.
    const first = projectUpdate(d3, () => Y.applyUpdate(d3, updates[1]));
    expect(nothingPending(d3)).toBe(false);
    expect(readTask(d3, id)).toBeNull();
    expect(first.tasks.remove).toEqual([id]);
    rows = applyDelta(rows, first);
    expect(rows).toEqual(projectDoc(d3));
    const second = projectUpdate(d3, () => Y.applyUpdate(d3, updates[0]));
    expect(nothingPending(d3)).toBe(true);
    expect(second.taskTags.set).toEqual([{ task_id: id, tag_ids: [tag] }]);
    rows = applyDelta(rows, second);
    expect(rows).toEqual(projectDoc(d3));
    expect(rows.tasks.map((t) => [t.title, t.status])).toEqual([['renamed', 'DONE']]);
  });

  it('[DM11] a delta removes rows whose entry became unreadable, and is empty for meta-only changes', () => {
    const doc = new Y.Doc();
    const id = createTask(doc, { title: 't' });
    const c = addComment(doc, { task_id: id, content: 'c', author_id: null });
    deleteComment(doc, c);
    const meta = projectUpdate(doc, () => initDoc(doc));
    expect(isEmptyDelta(meta)).toBe(true);
    const broken = projectUpdate(doc, () => (doc.getMap('tasks').get(id) as Y.Map<unknown>).set('status', 'FROM_THE_FUTURE'));
    expect(broken.tasks.remove).toEqual([id]);
    expect(broken.taskTags.set).toEqual([{ task_id: id, tag_ids: [] }]);
    const replaced = projectUpdate(doc, () => doc.getMap('comments').set(c, 'garbage'));
    expect(replaced.comments.remove).toEqual([c]);
  });
});

function touchedRows(d: ProjectionDelta): number {
  return (
    d.tasks.upsert.length + d.tasks.remove.length + d.comments.upsert.length + d.comments.remove.length + d.tags.upsert.length + d.tags.remove.length +
    d.attachments.upsert.length + d.attachments.remove.length + d.taskTags.set.length
  );
}
