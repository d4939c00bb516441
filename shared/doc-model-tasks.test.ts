import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  createTag,
  createTask,
  deleteTask,
  DocModelError,
  getDescription,
  initDoc,
  moveTask,
  readBoard,
  readTask,
  restoreTask,
  updateTask,
  type TaskInput,
} from './doc-model.ts';
import { replicas, syncAll, testCtx } from './test/helpers.ts';

const titles = (doc: Y.Doc, status: 'TODO' | 'IN_PROGRESS' | 'DONE' = 'TODO'): string[] => readBoard(doc)[status].map((t) => t.title);
const USER = '11111111-1111-4111-8111-111111111111';

function expectError(fn: () => unknown, code: 'INVALID' | 'NOT_FOUND', message?: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DocModelError);
    expect((e as DocModelError).code).toBe(code);
    if (message) expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected DocModelError ${code}`);
}

describe('createTask', () => {
  it('[DM13][DM14] writes the contract layout with defaults and ctx timestamps', () => {
    const doc = new Y.Doc();
    const ctx = testCtx(1, '2026-03-01T09:00:00.000Z', { userId: USER });
    initDoc(doc, ctx);
    const id = createTask(doc, { title: '  Write spec  ', description: 'hello', checklist: [{ text: 'one' }] }, ctx);
    const raw = doc.getMap('tasks').get(id) as Y.Map<unknown>;
    expect(raw).toBeInstanceOf(Y.Map);
    expect(raw.get('description')).toBeInstanceOf(Y.Text);
    expect(raw.get('tag_ids')).toBeInstanceOf(Y.Map);
    expect(raw.get('checklist')).toBeInstanceOf(Y.Array);
    expect((raw.get('checklist') as Y.Array<Y.Map<unknown>>).get(0).toJSON()).toMatchObject({ text: 'one', done: false });
    expect(doc.getMap('meta').get('schema_version')).toBe(1);
    expect(readTask(doc, id)).toMatchObject({
      id,
      title: 'Write spec',
      description: 'hello',
      status: 'TODO',
      priority: 'MEDIUM',
      reporter_id: USER,
      assignee_id: null,
      created_at: '2026-03-01T09:00:00.000Z',
      updated_at: '2026-03-01T09:00:00.000Z',
      completed_at: null,
      deleted_at: null,
      tag_ids: [],
    });
  });

  it('[DM9] refuses bad input with INVALID and leaves the document unchanged', () => {
    const doc = new Y.Doc();
    const ctx = testCtx();
    createTask(doc, { title: 'existing', id: '22222222-2222-4222-8222-222222222222' }, ctx);
    const before = Y.encodeStateVector(doc);
    const bad: [Partial<TaskInput> & Record<string, unknown>, RegExp][] = [
      [{ title: '' }, /title must not be empty/],
      [{ title: 'x'.repeat(501) }, /at most 500/],
      [{ title: 'ok', status: 'DOING' as never }, /status must be one of/],
      [{ title: 'ok', priority: 'CRITICAL' as never }, /priority/],
      [{ title: 'ok', due_date: '2026-02-30' }, /YYYY-MM-DD/],
      [{ title: 'ok', due_date: '2026-2-3' }, /YYYY-MM-DD/],
      [{ title: 'ok', estimated_hours: -1 }, /hours/],
      [{ title: 'ok', actual_hours: Number.POSITIVE_INFINITY }, /hours/],
      [{ title: 'ok', actual_hours: Number.NaN }, /hours/],
      [{ title: 'ok', assignee_id: 'bob' }, /assignee_id must be a UUID/],
      [{ title: 'ok', id: '22222222-2222-4222-8222-222222222222' }, /already exists/],
      [{ title: 'ok', tag_ids: ['x'] }, /tag_ids\[0\] must be a UUID/],
      [{ title: 'ok', checklist: [{ text: ' ' }] }, /checklist\[0\]\.text/],
      [{ title: 'ok', rank: 'a0' }, /unknown field "rank"/],
    ];
    for (const [input, message] of bad) expectError(() => createTask(doc, input as TaskInput, ctx), 'INVALID', message);
    expectError(() => createTask(doc, { title: 'ok', tag_ids: ['33333333-3333-4333-8333-333333333333'] }, ctx), 'NOT_FOUND', /tag/);
    expectError(() => createTask(doc, { title: 'ok', after_id: '44444444-4444-4444-8444-444444444444' }, ctx), 'NOT_FOUND', /after_id/);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('[DM9] each operation is one transaction carrying ctx.origin', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const origin = { session: 'me' };
    const id = createTask(doc, { title: 'a', description: 'text', checklist: [{ text: 'x' }] }, { origin });
    updateTask(doc, id, { title: 'b', status: 'DONE', description: 'changed' }, { origin });
    expect(origins).toEqual([origin, origin]);
  });
});

describe('updateTask', () => {
  it('[DM14] changes fields, bumps updated_at, and a no-op patch writes nothing', () => {
    const doc = new Y.Doc();
    const ctx = testCtx();
    const id = createTask(doc, { title: 'a' }, ctx);
    updateTask(doc, id, { title: 'b', priority: 'HIGH', due_date: '2026-04-01', estimated_hours: 2.5, assignee_id: USER.toUpperCase() }, ctx);
    const t = readTask(doc, id);
    expect(t).toMatchObject({ title: 'b', priority: 'HIGH', due_date: '2026-04-01', estimated_hours: 2.5, assignee_id: USER });
    expect(t?.updated_at).toBe(ctx.tick());
    const sv = Y.encodeStateVector(doc);
    updateTask(doc, id, { title: 'b', priority: 'HIGH' }, ctx);
    updateTask(doc, id, {}, ctx);
    expect(Y.encodeStateVector(doc)).toEqual(sv);
  });

  it('[DM8] completed_at is set on entering DONE, kept within DONE, cleared on leaving', () => {
    const doc = new Y.Doc();
    const ctx = testCtx();
    const id = createTask(doc, { title: 'a' }, ctx);
    updateTask(doc, id, { status: 'DONE' }, ctx);
    const done = readTask(doc, id)?.completed_at;
    expect(done).toBe(ctx.tick());
    const other = createTask(doc, { title: 'b', status: 'DONE' }, ctx);
    expect(readTask(doc, other)?.completed_at).toBe(ctx.tick());
    moveTask(doc, id, { status: 'DONE', after_id: other }, ctx);
    expect(readTask(doc, id)?.completed_at).toBe(done);
    updateTask(doc, id, { status: 'IN_REVIEW' }, ctx);
    expect(readTask(doc, id)?.completed_at).toBeNull();
  });

  it('[DM3] a status change moves the task to the end of that column', () => {
    const doc = new Y.Doc();
    const ctx = testCtx();
    createTask(doc, { title: 'p1', status: 'IN_PROGRESS' }, ctx);
    createTask(doc, { title: 'p2', status: 'IN_PROGRESS' }, ctx);
    const id = createTask(doc, { title: 'x' }, ctx);
    updateTask(doc, id, { status: 'IN_PROGRESS' }, ctx);
    expect(titles(doc, 'IN_PROGRESS')).toEqual(['p1', 'p2', 'x']);
    expect(titles(doc)).toEqual([]);
  });

  it('[DM9] unknown ids are NOT_FOUND, malformed ids and unknown fields INVALID', () => {
    const doc = new Y.Doc();
    const id = createTask(doc, { title: 'a' });
    expectError(() => updateTask(doc, '55555555-5555-4555-8555-555555555555', { title: 'x' }), 'NOT_FOUND');
    expectError(() => updateTask(doc, 'nope', { title: 'x' }), 'INVALID');
    expectError(() => updateTask(doc, id, { completed_at: 'x' } as never), 'INVALID', /unknown field/);
    expectError(() => deleteTask(doc, '55555555-5555-4555-8555-555555555555'), 'NOT_FOUND');
  });
});

describe('moveTask', () => {
  function column(doc: Y.Doc, n: number, ctx = testCtx()): string[] {
    return Array.from({ length: n }, (_, i) => createTask(doc, { title: `t${i}` }, ctx));
  }

  it('[DM3] places a task between, after, or before neighbours, or at the end', () => {
    const doc = new Y.Doc();
    const ctx = testCtx();
    const [a, b, c] = column(doc, 3, ctx);
    const x = createTask(doc, { title: 'x', status: 'DONE' }, ctx);
    moveTask(doc, x, { status: 'TODO', after_id: a, before_id: b }, ctx);
    expect(titles(doc)).toEqual(['t0', 'x', 't1', 't2']);
    moveTask(doc, x, { status: 'TODO', after_id: b }, ctx);
    expect(titles(doc)).toEqual(['t0', 't1', 'x', 't2']);
    moveTask(doc, x, { status: 'TODO', before_id: a }, ctx);
    expect(titles(doc)).toEqual(['x', 't0', 't1', 't2']);
    moveTask(doc, x, { status: 'TODO' }, ctx);
    expect(titles(doc)).toEqual(['t0', 't1', 't2', 'x']);
    moveTask(doc, c, { status: 'TODO', before_id: a }, ctx);
    expect(titles(doc)).toEqual(['t2', 't0', 't1', 'x']);
  });

  it('[DM3] refuses neighbours outside the target column, itself, or unknown', () => {
    const doc = new Y.Doc();
    const [a, b] = column(doc, 2);
    const done = createTask(doc, { title: 'd', status: 'DONE' });
    expectError(() => moveTask(doc, a, { status: 'TODO', after_id: done }), 'INVALID', /not in column TODO/);
    expectError(() => moveTask(doc, a, { status: 'TODO', after_id: a }), 'INVALID', /another task/);
    expectError(() => moveTask(doc, a, { status: 'TODO', before_id: '66666666-6666-4666-8666-666666666666' }), 'NOT_FOUND');
    deleteTask(doc, b);
    expectError(() => moveTask(doc, a, { status: 'TODO', after_id: b }), 'INVALID', /deleted/);
  });

  it('[DM3] never writes another task', () => {
    const doc = new Y.Doc();
    const [a, b, c] = column(doc, 3);
    const before = [a, c].map((id) => JSON.stringify(readTask(doc, id)));
    moveTask(doc, b, { status: 'DONE' });
    moveTask(doc, b, { status: 'TODO', after_id: a, before_id: c });
    expect([a, c].map((id) => JSON.stringify(readTask(doc, id)))).toEqual(before);
  });

  it('[DM3] a column supplied by the caller (ctx.column) replaces the scan and places exactly as the scan does', () => {
    const [scanned, supplied] = replicas(2);
    const ids = column(scanned, 6, testCtx(2));
    syncAll(scanned, supplied);
    const asRead = (doc: Y.Doc) => (status: 'TODO' | 'IN_PROGRESS' | 'IN_REVIEW' | 'DONE' | 'ARCHIVED') => readBoard(doc)[status];
    let asked = 0;
    const withColumn = testCtx(9, undefined, {
      column: (status) => {
        asked++;
        return asRead(supplied)(status);
      },
    });
    const without = testCtx(9);
    for (const [id, to] of [[ids[4]!, { status: 'TODO' as const, after_id: ids[0]! }], [ids[1]!, { status: 'DONE' as const }], [ids[2]!, { status: 'TODO' as const, before_id: ids[0]! }]] as const) {
      moveTask(scanned, id, to, without);
      moveTask(supplied, id, to, withColumn);
    }
    expect(asked).toBe(3);
    expect(readBoard(supplied)).toEqual(readBoard(scanned));
  });

  it('[DM2][DM3] two replicas generating the same key order by id, and a later insert between them still lands', () => {
    const [d1, d2] = replicas(2);
    const base = createTask(d1, { title: 'base', id: '00000000-0000-4000-8000-000000000001' }, testCtx(1));
    syncAll(d1, d2);
    // Same rank random stream on both replicas: they pick the very same key concurrently.
    createTask(d1, { title: 'high', id: 'ffffffff-0000-4000-8000-000000000000', after_id: base }, testCtx(7));
    createTask(d2, { title: 'low', id: '88888888-0000-4000-8000-000000000000', after_id: base }, testCtx(7));
    syncAll(d1, d2);
    const ranks = readBoard(d1).TODO.map((t) => t.rank);
    expect(ranks[1]).toBe(ranks[2]);
    expect(titles(d1)).toEqual(['base', 'low', 'high']);
    expect(titles(d2)).toEqual(titles(d1));
    // Between the tied pair: an id between theirs takes the tied key; any other id goes right after the run.
    createTask(d1, { title: 'mid-id', id: 'aaaaaaaa-0000-4000-8000-000000000000', after_id: '88888888-0000-4000-8000-000000000000' }, testCtx(3));
    expect(titles(d1)).toEqual(['base', 'low', 'mid-id', 'high']);
    createTask(d1, { title: 'small-id', id: '11111111-0000-4000-8000-000000000000', after_id: '88888888-0000-4000-8000-000000000000', before_id: 'aaaaaaaa-0000-4000-8000-000000000000' }, testCtx(4));
    expect(titles(d1)).toEqual(['base', 'low', 'mid-id', 'high', 'small-id']);
  });
});

describe('concurrent edits', () => {
  it('[DM1] concurrent moves of one task: one move wins status, rank and completed_at together', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const [d1, d2, d3] = replicas(3);
      const ctx = testCtx(seed);
      const ids = Array.from({ length: 4 }, (_, i) => createTask(d1, { title: `t${i}`, status: i % 2 ? 'DONE' : 'TODO' }, ctx));
      syncAll(d1, d2, d3);
      const [t0, t1, t2, t3] = ids;
      moveTask(d1, t0, { status: 'DONE', before_id: t1 }, testCtx(seed + 100));
      moveTask(d2, t0, { status: 'IN_PROGRESS' }, testCtx(seed + 200));
      updateTask(d3, t0, { status: 'DONE', title: 'renamed' }, testCtx(seed + 300));
      moveTask(d3, t2, { status: 'DONE', after_id: t3 }, testCtx(seed + 400));
      const written = [d1, d2, d3].map((d) => {
        const t = readTask(d, t0);
        return [t?.status, t?.rank, t?.completed_at];
      });
      syncAll(d1, d2, d3);
      const final = readTask(d1, t0);
      expect(written).toContainEqual([final?.status, final?.rank, final?.completed_at]);
      expect(readTask(d2, t0)).toEqual(final);
      expect(readTask(d3, t0)).toEqual(final);
      expect(final?.title).toBe('renamed');
    }
  });

  it('[DM4] concurrent edits of different fields all survive; tag sets merge', () => {
    const [d1, d2] = replicas(2);
    const ctx = testCtx();
    const tagA = createTag(d1, { name: 'a' }, ctx);
    const tagB = createTag(d1, { name: 'b' }, ctx);
    const id = createTask(d1, { title: 'a' }, ctx);
    syncAll(d1, d2);
    updateTask(d1, id, { title: 'new title', tag_ids: [tagA] }, ctx);
    updateTask(d2, id, { priority: 'URGENT', due_date: '2026-05-05', tag_ids: [tagB] }, ctx);
    syncAll(d1, d2);
    expect(readTask(d1, id)).toMatchObject({ title: 'new title', priority: 'URGENT', due_date: '2026-05-05', tag_ids: [tagA, tagB].sort() });
    expect(readTask(d2, id)).toEqual(readTask(d1, id));
  });

  it('[DM5] concurrent edits of one description keep both texts', () => {
    const [d1, d2] = replicas(2);
    const id = createTask(d1, { title: 'a', description: 'The plan.' });
    syncAll(d1, d2);
    getDescription(d1, id)?.insert(0, 'Alice: ');
    updateTask(d2, id, { description: 'The plan. Bob was here.' });
    syncAll(d1, d2);
    expect(readTask(d1, id)?.description).toBe('Alice: The plan. Bob was here.');
    expect(readTask(d2, id)?.description).toBe('Alice: The plan. Bob was here.');
  });

  it('[DM5] rewriting a description never splits a surrogate pair', () => {
    const doc = new Y.Doc();
    const id = createTask(doc, { title: 'a', description: 'x😀y' });
    updateTask(doc, id, { description: 'x😃y' });
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(readTask(copy, id)?.description).toBe('x😃y');
  });

  it('[DM6] delete vs concurrent edit: deleted, edit kept, restorable', () => {
    const [d1, d2] = replicas(2);
    const id = createTask(d1, { title: 'a', description: 'd' });
    syncAll(d1, d2);
    deleteTask(d1, id);
    updateTask(d2, id, { title: 'edited while deleted' });
    getDescription(d2, id)?.insert(1, '!');
    syncAll(d1, d2);
    expect(readTask(d2, id)).toMatchObject({ title: 'edited while deleted', description: 'd!' });
    expect(readTask(d2, id)?.deleted_at).not.toBeNull();
    expect(readBoard(d2).TODO).toEqual([]);
    restoreTask(d2, id);
    syncAll(d1, d2);
    expect(readBoard(d1).TODO.map((t) => t.title)).toEqual(['edited while deleted']);
  });
});
