import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addChecklistItem,
  createTag,
  createTask,
  deleteTask,
  getDescription,
  initDoc,
  moveTask,
  readBoard,
  readTasks,
  removeChecklistItem,
  restoreTask,
  setTaskTags,
  toggleChecklistItem,
  updateTask,
  type Task,
} from '../../../shared/doc-model.ts';
import { TASK_PRIORITIES, TASK_STATUSES } from '../../../shared/api.ts';
import { deepEqual } from '../sync/use-doc-value.ts';
import { boardCacheOf } from './board-cache.ts';
import { mulberry32 } from '../../../shared/test/prng.ts';

/** Deterministic PRNG, so a failure replays. */
const rng = mulberry32;

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

/** One random edit through the doc-model writers; refusals (e.g. restoring a live task) are part of the game. */
function randomEdit(doc: Y.Doc, r: () => number): void {
  const all = readTasks(doc, { includeDeleted: true }).tasks;
  const task = all.length > 0 ? pick(r, all) : null;
  const op = Math.floor(r() * 10);
  try {
    if (!task || op === 0) {
      createTask(doc, { title: `t${Math.floor(r() * 1e6)}`, status: pick(r, TASK_STATUSES) });
    } else if (op === 1) {
      updateTask(doc, task.id, { title: `title ${Math.floor(r() * 1e6)}`, priority: pick(r, TASK_PRIORITIES) });
    } else if (op === 2) {
      const status = pick(r, TASK_STATUSES);
      const column = readBoard(doc)[status].filter((t) => t.id !== task.id);
      moveTask(doc, task.id, { status, after_id: column.length > 0 ? pick(r, column).id : null });
    } else if (op === 3) {
      deleteTask(doc, task.id);
    } else if (op === 4) {
      restoreTask(doc, task.id);
    } else if (op === 5) {
      const text = getDescription(doc, task.id);
      if (text) text.insert(Math.floor(r() * (text.length + 1)), 'ab');
      else updateTask(doc, task.id, { description: 'first words' });
    } else if (op === 6) {
      addChecklistItem(doc, task.id, `item ${Math.floor(r() * 100)}`);
    } else if (op === 7 && task.checklist.length > 0) {
      const item = pick(r, task.checklist);
      if (r() < 0.5) toggleChecklistItem(doc, task.id, item.id);
      else removeChecklistItem(doc, task.id, item.id);
    } else if (op === 8) {
      const tag = createTag(doc, { name: `tag${Math.floor(r() * 1000)}` });
      setTaskTags(doc, task.id, r() < 0.8 ? [...task.tag_ids, tag] : []);
    } else {
      updateTask(doc, task.id, { status: pick(r, TASK_STATUSES), estimated_hours: Math.floor(r() * 10) });
    }
  } catch (e) {
    if (!(e instanceof Error) || e.name !== 'DocModelError') throw e;
  }
}

function newDoc(): Y.Doc {
  const doc = new Y.Doc();
  initDoc(doc);
  return doc;
}

describe('board cache', () => {
  it('matches readBoard after random local and remote edits, with remote updates delivered out of order', () => {
    for (const seed of [1, 2, 3]) {
      const r = rng(seed);
      const a = newDoc();
      const b = newDoc();
      const cache = boardCacheOf(a);
      let pendingSeen = 0;
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a), 'remote');
      const queued: Uint8Array[] = [Y.encodeStateAsUpdate(b)];
      b.on('update', (u: Uint8Array) => queued.push(u));
      a.on('update', (u: Uint8Array, origin: unknown) => {
        if (origin !== 'remote') Y.applyUpdate(b, u, 'remote');
      });
      for (let step = 0; step < 300; step++) {
        randomEdit(r() < 0.5 ? a : b, r);
        // B's updates reach A in bursts and reversed, so later ones wait as pending structs until the
        // earliest arrives; the transaction that integrates them must reach the cache too.
        if (queued.length > 0 && r() < 0.2) {
          for (const u of queued.splice(0).reverse()) {
            Y.applyUpdate(a, u, 'remote');
            if (a.store.pendingStructs !== null) pendingSeen++;
          }
        }
        expect(deepEqual(cache.board(), readBoard(a))).toBe(true);
      }
      for (const u of queued.splice(0).reverse()) Y.applyUpdate(a, u, 'remote');
      expect(a.store.pendingStructs).toBeNull();
      expect(pendingSeen).toBeGreaterThan(0);
      expect(cache.board()).toEqual(readBoard(a));
      expect(cache.board()).toEqual(readBoard(b));
    }
  });

  it('sees tasks that were pending until a missing update arrived', () => {
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    initDoc(source);
    const id = createTask(source, { title: 'first' });
    updateTask(source, id, { title: 'second', status: 'DONE' });
    const replica = newDoc();
    const cache = boardCacheOf(replica);
    const [init, create, edit] = updates;
    Y.applyUpdate(replica, edit as Uint8Array);
    Y.applyUpdate(replica, create as Uint8Array);
    expect(replica.store.pendingStructs).not.toBeNull();
    expect(cache.board().DONE).toEqual([]);
    Y.applyUpdate(replica, init as Uint8Array);
    expect(replica.store.pendingStructs).toBeNull();
    expect(cache.board().DONE.map((t) => t.title)).toEqual(['second']);
    expect(cache.board()).toEqual(readBoard(replica));
  });

  it('keeps every other task, and untouched columns, identical after one edit', () => {
    const doc = newDoc();
    for (let i = 0; i < 30; i++) createTask(doc, { title: `t${i}`, status: TASK_STATUSES[i % 3] });
    const cache = boardCacheOf(doc);
    const before = cache.board();
    const target = before.TODO[2] as Task;
    getDescription(doc, target.id)?.insert(0, 'typed');
    const after = cache.board();
    expect(after).not.toBe(before);
    expect(after.TODO[2]?.description).toBe('typed');
    expect(after.IN_PROGRESS).toBe(before.IN_PROGRESS);
    const others = (board: typeof before) => TASK_STATUSES.flatMap((s) => board[s]).filter((t) => t.id !== target.id);
    const prev = others(before);
    others(after).forEach((t, i) => expect(t).toBe(prev[i]));
    // A transaction that changes nothing the board shows keeps the very same board.
    const version = cache.version;
    updateTask(doc, target.id, {});
    expect(cache.version).toBe(version);
    expect(cache.board()).toBe(after);
  });

  it('patches the columns a few changes touched and re-sorts after a large batch, matching readBoard both ways', () => {
    const doc = newDoc();
    for (let i = 0; i < 200; i++) createTask(doc, { title: `t${i}`, status: TASK_STATUSES[i % 4] });
    const cache = boardCacheOf(doc);
    cache.board();
    const r = rng(7);
    // A few moves between reads: the patch path (fewer changed tasks than the patch limit).
    for (let round = 0; round < 20; round++) {
      for (let k = 0; k < 3; k++) {
        const all = readTasks(doc).tasks;
        const status = pick(r, TASK_STATUSES);
        const column = readBoard(doc)[status];
        const task = pick(r, all);
        const others = column.filter((t) => t.id !== task.id);
        moveTask(doc, task.id, { status, before_id: others.length > 0 ? pick(r, others).id : null });
      }
      expect(cache.board()).toEqual(readBoard(doc));
    }
    // One transaction moving 100 tasks: the rebuild path.
    doc.transact(() => {
      for (const task of readTasks(doc).tasks.slice(0, 100)) moveTask(doc, task.id, { status: 'DONE' });
    });
    expect(cache.board()).toEqual(readBoard(doc));
  });

  it('re-parses exactly one task for a one-field edit in a 5,000-task doc, and times a move', () => {
    // Placement reads the whole column per create, so 5,000 creates in one doc are quadratic: build 100
    // small replicas and merge them, as a board assembled from many clients would be.
    const doc = newDoc();
    for (let part = 0; part < 100; part++) {
      const small = new Y.Doc();
      for (let i = 0; i < 50; i++) createTask(small, { title: `task ${part}.${i}`, status: TASK_STATUSES[i % 4] });
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(small));
    }
    expect(readTasks(doc).tasks).toHaveLength(5000);
    const cache = boardCacheOf(doc);
    const first = cache.board();
    const target = first.TODO[100] as Task;
    const parsed = cache.parseCount;
    updateTask(doc, target.id, { title: 'renamed' });
    expect(cache.parseCount - parsed).toBe(1);
    expect(cache.board().TODO[100]?.title).toBe('renamed');

    // Before: what useDocValue did per update (readBoard plus a deep compare with the previous board).
    // Only the recomputation is timed; the move's own write happens before the clock starts.
    const median = (n: number, prepare: (i: number) => void, measure: () => void): number => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        prepare(i);
        const t0 = performance.now();
        measure();
        times.push(performance.now() - t0);
      }
      return times.sort((x, y) => x - y)[Math.floor(n / 2)] as number;
    };
    const moveOne = (i: number) => {
      const column = cache.board().IN_PROGRESS;
      moveTask(doc, (cache.board().TODO[i] as Task).id, { status: 'IN_PROGRESS', after_id: (column[i] as Task).id });
    };
    let previous = readBoard(doc);
    const beforeMs = median(15, moveOne, () => {
      const next = readBoard(doc);
      deepEqual(previous, next);
      previous = next;
    });
    const afterMs = median(15, (i) => moveOne(i + 20), () => cache.board());
    expect(cache.board()).toEqual(readBoard(doc));
    console.log(`move at 5,000 tasks, median of 15: full read + deep compare ${beforeMs.toFixed(2)} ms, cache ${afterMs.toFixed(2)} ms`);
  });
});
