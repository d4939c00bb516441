import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, initDoc } from '../../../shared/doc-model.ts';
import { projectDoc, type ProjectionDelta, type ProjectionRows, type TaskRow } from '../../../shared/projection.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { createUser, testConfig } from '../test/fixtures.ts';
import { docStoreContract } from './doc-store-contract.ts';
import { PgDocStore } from './pg-doc-store.ts';

let db: TestDatabase;
let store: PgDocStore;
let ownerId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  store = new PgDocStore(db.sql);
  ownerId = (await createUser({ sql: db.sql, config: testConfig() })).id;
});
afterAll(() => db.close());

/** A project row (its documents' log and snapshot rows reference it), owned by the test user. */
async function insertProject(name: string): Promise<string> {
  const [p] = await db.sql<{ id: string }[]>`INSERT INTO projects (name, created_by) VALUES (${name}, ${ownerId}) RETURNING id`;
  return p!.id;
}

docStoreContract('PostgreSQL', {
  store: () => store,
  newProject: () => insertProject('contract'),
});

/** 25,000 updates of a 5,000-task board (built once: it takes seconds), and its projection. */
let board: { updates: Uint8Array[]; rows: ProjectionRows } | undefined;
function bigBoard() {
  if (board) return board;
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  initDoc(doc);
  for (let i = 0; updates.length < 25_000; i++) {
    if (i < 5000) createTask(doc, { id: randomUUID(), title: `task ${i}` });
    else doc.getText('filler').insert(0, 'x');
  }
  board = { updates, rows: projectDoc(doc) };
  return board;
}

describe('PostgreSQL store: sizes past one statement', () => {
  it('appends a batch of 25,000 updates with a full projection of 5,000 tasks (over 65,535 parameters each)', async () => {
    const [p] = await db.sql<{ id: string }[]>`INSERT INTO projects (name, created_by) VALUES ('big', ${ownerId}) RETURNING id`;
    const { updates, rows } = bigBoard();
    expect(rows.tasks).toHaveLength(5000);
    const result = await store.append({
      projectId: p!.id,
      updates: updates.map((update) => ({ update, userId: ownerId })),
      effects: { changes: [], activity: [], fullResync: rows },
    });
    expect(result.effectsFailed).toBe(false);
    const loaded = await store.load(p!.id);
    expect(loaded.updates).toHaveLength(updates.length);
    expect(loaded.updates.at(-1)!.id).toBe(result.lastId);
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM tasks WHERE project_id = ${p!.id}`;
    expect(n).toBe(5000);
  }, 120_000);
});

describe('PostgreSQL store: one statement per group commit', () => {
  const newProject = () => insertProject('commit');
  const emptyDelta = (): ProjectionDelta => ({
    tasks: { upsert: [], remove: [] },
    comments: { upsert: [], remove: [] },
    tags: { upsert: [], remove: [] },
    taskTags: { set: [] },
    attachments: { upsert: [], remove: [] },
  });
  const tagRows = (projectId: string) =>
    db.sql<{ task_id: string; tag_id: string }[]>`SELECT task_id::text, tag_id::text FROM task_tags WHERE project_id = ${projectId} ORDER BY task_id, tag_id`;

  it('keeps the log rows when PostgreSQL refuses a projection row, and says the projections need a resync', async () => {
    const p = await newProject();
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    initDoc(doc);
    const id = createTask(doc, { id: randomUUID(), title: 'fine' });
    const row = projectDoc(doc).tasks[0]!;
    // A value the tasks.status CHECK rejects, as a buggy client could write into its document.
    const bad = { ...emptyDelta(), tasks: { upsert: [{ ...row, status: 'NOT_A_STATUS' as TaskRow['status'] }], remove: [] } };
    const activity = [{ userId: ownerId, action: 'task.created', entityType: 'task' as const, entityId: id, taskId: id, changes: {} }];
    const result = await store.append({ projectId: p, updates: updates.map((update) => ({ update, userId: ownerId })), effects: { changes: [bad], activity } });
    expect(result.effectsFailed).toBe(true);
    const loaded = await store.load(p);
    expect(loaded.updates.map((u) => u.update)).toEqual(updates);
    expect(loaded.updates.at(-1)!.id).toBe(result.lastId);
    // Nothing of the refused statement landed: no task row, no activity row.
    const [{ tasks }] = await db.sql<{ tasks: number }[]>`SELECT count(*)::int AS tasks FROM tasks WHERE project_id = ${p}`;
    const [{ acts }] = await db.sql<{ acts: number }[]>`SELECT count(*)::int AS acts FROM activity_log WHERE project_id = ${p}`;
    expect([tasks, acts]).toEqual([0, 0]);
  });

  it('replaces a task tag set (drops removed tags, keeps kept ones, adds new ones) and writes activity rows', async () => {
    const p = await newProject();
    const [task, a, b, c] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const doc = new Y.Doc();
    initDoc(doc);
    createTask(doc, { id: task, title: 'tagged' });
    const row = projectDoc(doc).tasks[0]!;
    const commit = async (tagIds: string[]) => {
      const delta = { ...emptyDelta(), tasks: { upsert: [row], remove: [] }, taskTags: { set: [{ task_id: task, tag_ids: tagIds }] } };
      const activity = [{ userId: ownerId, action: 'task.updated', entityType: 'task' as const, entityId: task, taskId: task, changes: { tags: tagIds } }];
      const r = await store.append({ projectId: p, updates: [{ update: Y.encodeStateAsUpdate(doc), userId: ownerId }], effects: { changes: [delta], activity } });
      expect(r.effectsFailed).toBe(false);
      return (await tagRows(p)).map((x) => x.tag_id);
    };
    expect(await commit([a, b, a])).toEqual([a, b].sort());
    const [{ created }] = await db.sql<{ created: Date }[]>`SELECT created_at AS created FROM task_tags WHERE task_id = ${task} AND tag_id = ${b}`;
    expect(await commit([b, c])).toEqual([b, c].sort());
    // A kept pair is the same row (not deleted and re-inserted).
    const [{ kept }] = await db.sql<{ kept: Date }[]>`SELECT created_at AS kept FROM task_tags WHERE task_id = ${task} AND tag_id = ${b}`;
    expect(kept).toEqual(created);
    expect(await commit([])).toEqual([]);
    const acts = await db.sql<{ changes: { tags: string[] } }[]>`SELECT changes FROM activity_log WHERE project_id = ${p} ORDER BY created_at`;
    expect(acts).toHaveLength(3);
  });

  it('appends 25,000 updates with 5,000 task upserts in one statement, in document order', async () => {
    const p = await newProject();
    const { updates, rows } = bigBoard();
    // Fresh ids: task ids are global keys and the other big test wrote these tasks into its own project.
    const delta = { ...emptyDelta(), tasks: { upsert: rows.tasks.map((t) => ({ ...t, id: randomUUID() })), remove: [] } };
    const result = await store.append({ projectId: p, updates: updates.map((update) => ({ update, userId: ownerId })), effects: { changes: [delta], activity: [] } });
    expect(result.effectsFailed).toBe(false);
    const loaded = await store.load(p);
    expect(loaded.updates.map((u) => u.update)).toEqual(updates);
    expect(loaded.updates.at(-1)!.id).toBe(result.lastId);
    const counts = await db.sql<{ n: number }[]>`SELECT sum(n)::int AS n FROM task_counts WHERE project_id = ${p}`;
    expect(counts[0]!.n).toBe(5000);
  }, 120_000);
});

describe('PostgreSQL store: batches of several rooms in one statement', () => {
  const newProject = () => insertProject('combined');
  /** A project document with one task, its update and the task's projection delta. */
  const edit = (title: string) => {
    const doc = new Y.Doc();
    initDoc(doc);
    const id = createTask(doc, { id: randomUUID(), title });
    const row = projectDoc(doc).tasks[0]!;
    const delta: ProjectionDelta = {
      tasks: { upsert: [row], remove: [] },
      comments: { upsert: [], remove: [] },
      tags: { upsert: [], remove: [] },
      taskTags: { set: [] },
      attachments: { upsert: [], remove: [] },
    };
    return { id, row, update: Y.encodeStateAsUpdate(doc), delta };
  };
  const taskTitles = async (projectId: string) =>
    (await db.sql<{ title: string }[]>`SELECT title FROM tasks WHERE project_id = ${projectId}`).map((r) => r.title);

  it('commits batches handed over in the same turn together; a refused projection costs only its own batch a resync', async () => {
    const projects = await Promise.all([newProject(), newProject(), newProject(), newProject()]);
    const edits = projects.map((_, i) => edit(`task ${i}`));
    // Project 2 carries a value the tasks.status CHECK rejects.
    edits[2]!.delta.tasks.upsert[0] = { ...edits[2]!.row, status: 'NOT_A_STATUS' as TaskRow['status'] };
    const results = await Promise.all(
      projects.map((projectId, i) =>
        store.append({
          projectId,
          updates: [{ update: edits[i]!.update, userId: ownerId }],
          effects: { changes: [edits[i]!.delta], activity: [{ userId: ownerId, action: 'task.created', entityType: 'task', entityId: edits[i]!.id, taskId: edits[i]!.id, changes: {} }] },
        }),
      ),
    );
    expect(results.map((r) => r.effectsFailed)).toEqual([false, false, true, false]);
    for (const [i, projectId] of projects.entries()) {
      const loaded = await store.load(projectId);
      expect(loaded.updates.map((u) => u.update)).toEqual([edits[i]!.update]);
      expect(loaded.updates[0]!.id).toBe(results[i]!.lastId);
      expect(await taskTitles(projectId)).toEqual(i === 2 ? [] : [`task ${i}`]);
    }
  });

  /** A store whose group-commit statements (sql.unsafe) are counted. */
  const countingStore = () => {
    const counter = { statements: 0 };
    const counting = new Proxy(db.sql, {
      get(target, key, receiver) {
        if (key === 'unsafe') counter.statements++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    return { store: new PgDocStore(counting), counter };
  };

  it('writes the batches of several projects handed over in the same turn with one statement', async () => {
    const projects = await Promise.all([newProject(), newProject(), newProject()]);
    const edits = projects.map((_, i) => edit(`together ${i}`));
    const { store: combined, counter } = countingStore();
    const results = await Promise.all(projects.map((projectId, i) => combined.append({ projectId, updates: [{ update: edits[i]!.update, userId: ownerId }], effects: { changes: [edits[i]!.delta], activity: [] } })));
    expect(counter.statements).toBe(1);
    expect(results.every((r) => !r.effectsFailed)).toBe(true);
    for (const [i, projectId] of projects.entries()) {
      expect((await store.load(projectId)).updates.map((u) => u.id)).toEqual([results[i]!.lastId]);
      expect(await taskTitles(projectId)).toEqual([`together ${i}`]);
    }
  });

  it('starts another statement once the combined batches pass 256 kB of updates (a larger batch still goes alone)', async () => {
    const projects = await Promise.all([newProject(), newProject(), newProject(), newProject()]);
    const large = (kb: number) => {
      const doc = new Y.Doc();
      doc.getText('notes').insert(0, 'x'.repeat(kb * 1024));
      return Y.encodeStateAsUpdate(doc);
    };
    // 150 + 90 kB share a statement; the next 150 kB would pass 256 kB, and the 400 kB batch is over it alone.
    const updates = [large(150), large(90), large(150), large(400)];
    const { store: combined, counter } = countingStore();
    const results = await Promise.all(projects.map((projectId, i) => combined.append({ projectId, updates: [{ update: updates[i]!, userId: ownerId }] })));
    expect(counter.statements).toBe(3);
    for (const [i, projectId] of projects.entries()) {
      const loaded = await store.load(projectId);
      expect(loaded.updates.map((u) => u.id)).toEqual([results[i]!.lastId]);
      expect(loaded.updates[0]!.update).toEqual(updates[i]);
    }
  });

  it('keeps one commit statement in flight: batches handed over meanwhile go out together when it lands; a heavy one goes beside it', async () => {
    const projects = await Promise.all([newProject(), newProject(), newProject(), newProject()]);
    const heavyProject = await newProject();
    const heavyDoc = new Y.Doc();
    heavyDoc.getText('notes').insert(0, 'z'.repeat(300 * 1024));
    const heavyUpdate = Y.encodeStateAsUpdate(heavyDoc);
    const edits = projects.map((_, i) => edit(`paced ${i}`));
    const { store: paced, counter } = countingStore();
    const append = (i: number) => paced.append({ projectId: projects[i]!, updates: [{ update: edits[i]!.update, userId: ownerId }], effects: { changes: [edits[i]!.delta], activity: [] } });
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    // Another transaction holds the log table, so the first statement stays in flight until it ends.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.sql.begin(async (tx) => {
      await tx`LOCK TABLE yjs_updates IN EXCLUSIVE MODE`;
      locked();
      await released;
    });
    await isLocked;
    let first, later, heavy;
    let turnCame = false;
    try {
      expect(paced.commitTurn()).toBeUndefined();
      first = append(0);
      await nextTurn();
      expect(counter.statements).toBe(1);
      const turn = paced.commitTurn();
      expect(turn).toBeInstanceOf(Promise);
      void turn!.then(() => (turnCame = true));
      // Three more rooms hand over batches in three later turns: none is sent while the first is in flight.
      later = [];
      for (const i of [1, 2, 3]) {
        later.push(append(i));
        await nextTurn();
      }
      expect(counter.statements).toBe(1);
      expect(turnCame).toBe(false);
      // Days of offline work pushed at once (over 256 kB): sent at once, not behind the paced statements.
      heavy = paced.append({ projectId: heavyProject, updates: [{ update: heavyUpdate, userId: ownerId }] });
      await nextTurn();
      expect(counter.statements).toBe(2);
    } finally {
      release();
      await holder;
    }
    const [results, heavyResult] = await Promise.all([Promise.all([first, ...later]), heavy]);
    expect(turnCame).toBe(true);
    expect(counter.statements).toBe(3);
    expect((await store.load(heavyProject)).updates.map((u) => u.id)).toEqual([heavyResult!.lastId]);
    for (const [i, projectId] of projects.entries()) {
      expect((await store.load(projectId)).updates.map((u) => u.id)).toEqual([results[i]!.lastId]);
      expect(await taskTitles(projectId)).toEqual([`paced ${i}`]);
    }
  });

  it('gives the turn on when the statement in flight fails, and fails only its own batches', async () => {
    const [lost, next] = await Promise.all([newProject(), newProject()]);
    const [a, b] = [edit('lost with the connection'), edit('written after')];
    let calls = 0;
    let fail!: (error: Error) => void;
    // The first statement never reaches PostgreSQL: it fails as a dropped connection would.
    const flaky = new Proxy(db.sql, {
      get(target, key, receiver) {
        if (key === 'unsafe' && calls++ === 0) return () => new Promise((_, reject) => (fail = reject));
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const paced = new PgDocStore(flaky);
    const first = paced.append({ projectId: lost, updates: [{ update: a.update, userId: ownerId }] });
    await new Promise((resolve) => setImmediate(resolve));
    const turn = paced.commitTurn();
    expect(turn).toBeInstanceOf(Promise);
    fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await turn;
    expect(paced.commitTurn()).toBeUndefined();
    const written = await paced.append({ projectId: next, updates: [{ update: b.update, userId: ownerId }] });
    expect((await store.load(next)).updates.map((u) => u.id)).toEqual([written.lastId]);
    expect((await store.load(lost)).updates).toEqual([]);
  });

  it('keeps a project\'s batches in order when an earlier one is held back for size', async () => {
    const [a, b] = await Promise.all([newProject(), newProject()]);
    const large = (kb: number) => {
      const doc = new Y.Doc();
      doc.getText('notes').insert(0, 'y'.repeat(kb * 1024));
      return Y.encodeStateAsUpdate(doc);
    };
    const [bigA, bigB, smallB] = [large(150), large(150), large(1)];
    const { store: combined, counter } = countingStore();
    // bigB does not fit beside bigA; smallB would, but must not overtake bigB (nor share its statement: one
    // statement holds one batch per project).
    await Promise.all([
      combined.append({ projectId: a, updates: [{ update: bigA, userId: ownerId }] }),
      combined.append({ projectId: b, updates: [{ update: bigB, userId: ownerId }] }),
      combined.append({ projectId: b, updates: [{ update: smallB, userId: ownerId }] }),
    ]);
    expect(counter.statements).toBe(3);
    expect((await store.load(b)).updates.map((u) => u.update)).toEqual([bigB, smallB]);
  });

  it('writes a full-resync batch in turn with the project\'s other batches', async () => {
    const projectId = await newProject();
    const a = edit('before the resync');
    const b = edit('the resync');
    const c = edit('after the resync');
    const first = store.append({ projectId, updates: [{ update: a.update, userId: ownerId }] });
    const resync = store.append({
      projectId,
      updates: [{ update: b.update, userId: ownerId }],
      effects: { changes: [], activity: [], fullResync: { tasks: [b.row], comments: [], tags: [], taskTags: [], attachments: [] } },
    });
    await new Promise((resolve) => setImmediate(resolve));
    const third = store.append({ projectId, updates: [{ update: c.update, userId: ownerId }] });
    const [ra, rb, rc] = await Promise.all([first, resync, third]);
    expect(rb.effectsFailed).toBe(false);
    expect(BigInt(rb.lastId)).toBeGreaterThan(BigInt(ra.lastId));
    expect(BigInt(rc.lastId)).toBeGreaterThan(BigInt(rb.lastId));
    expect((await store.load(projectId)).updates.map((u) => u.update)).toEqual([a.update, b.update, c.update]);
    expect(await taskTitles(projectId)).toEqual(['the resync']);
  });

  it('keeps one project\'s batches in order when two arrive in the same turn (and accepts an upper-case project id)', async () => {
    const projectId = await newProject();
    const a = edit('first');
    const b = edit('second');
    const c = edit('third');
    // Two in the same turn, and a third handed over while the first statement is in flight.
    const first = store.append({ projectId, updates: [{ update: a.update, userId: ownerId }] });
    const second = store.append({ projectId: projectId.toUpperCase(), updates: [{ update: b.update, userId: ownerId }] });
    await new Promise((resolve) => setImmediate(resolve));
    const third = store.append({ projectId, updates: [{ update: c.update, userId: ownerId }] });
    const [ra, rb, rc] = await Promise.all([first, second, third]);
    expect(BigInt(rb.lastId)).toBeGreaterThan(BigInt(ra.lastId));
    expect(BigInt(rc.lastId)).toBeGreaterThan(BigInt(rb.lastId));
    expect((await store.load(projectId)).updates.map((u) => u.update)).toEqual([a.update, b.update, c.update]);
  });
});

describe('PostgreSQL store: heads of several rooms in one statement', () => {
  const newProject = () => insertProject('heads');
  const update = (text: string) => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, text);
    return Y.encodeStateAsUpdate(doc);
  };

  it('reads the heads of rooms that start loading in the same turn with one statement, each its own', async () => {
    // A snapshot with rows after it, rows only, a snapshot only, nothing; one asked twice, one in upper case.
    const [snapAndRows, rowsOnly, snapOnly, empty] = await Promise.all([newProject(), newProject(), newProject(), newProject()]);
    const first = await store.append({ projectId: snapAndRows, updates: [{ update: update('a'), userId: null }] });
    await store.append({ projectId: snapAndRows, updates: [{ update: update('b'), userId: null }, { update: update('c'), userId: null }] });
    await store.compact(snapAndRows, { state: update('ab'), stateVector: new Uint8Array([1, 7, 3]), deleteSet: new Uint8Array([0, 1, 7, 1, 0, 2]), lastUpdateId: first.lastId, updateCount: 1 });
    await store.append({ projectId: rowsOnly, updates: [{ update: update('r1'), userId: null }, { update: update('r2'), userId: null }] });
    const only = await store.append({ projectId: snapOnly, updates: [{ update: update('s'), userId: null }] });
    await store.compact(snapOnly, { state: update('s'), stateVector: new Uint8Array([0]), deleteSet: new Uint8Array([0, 0]), lastUpdateId: only.lastId, updateCount: 1 });
    const asked = [snapAndRows, rowsOnly, snapOnly, empty, rowsOnly, snapAndRows.toUpperCase()];
    // Each head as read alone, one turn apart.
    const alone = [];
    for (const p of asked) alone.push(await store.loadHead(p));
    expect(alone[0]!.updates).toHaveLength(2);
    expect(alone[1]!.updates).toHaveLength(2);
    expect(alone[2]!.snapshot).not.toBeNull();
    expect(alone[3]).toEqual({ snapshot: null, updates: [] });

    let statements = 0;
    const counting = new Proxy(db.sql, {
      apply(target, thisArg, args: unknown[]) {
        if (Array.isArray(args[0]) && args[0].join('').includes('yjs_updates')) statements++;
        return Reflect.apply(target, thisArg, args);
      },
    });
    const heads = await Promise.all(asked.map((p) => new PgDocStore(counting).loadHead(p)));
    expect(heads).toEqual(alone);
    expect(statements).toBe(asked.length);
    const shared = new PgDocStore(counting);
    statements = 0;
    expect(await Promise.all(asked.map((p) => shared.loadHead(p)))).toEqual(alone);
    expect(statements).toBe(1);
    // An id that is not a UUID fails alone.
    const mixed = await Promise.allSettled([shared.loadHead('not-a-uuid'), shared.loadHead(rowsOnly)]);
    expect(mixed.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
  });
});
