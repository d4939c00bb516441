// The board, kept current incrementally: one parse of every task when a document is first read, then
// each transaction re-parses only the tasks it touched. Unchanged tasks and columns keep their object
// identity, so memoised cards skip rendering and a move costs one parse plus one column sort instead of
// re-reading 5,000 tasks (about 80 ms) and deep-comparing the result.
import * as Y from 'yjs';
import { TASK_STATUSES, type TaskStatus } from '../../../shared/api.ts';
import { tasksMap } from '../../../shared/doc-model/layout.ts';
import { parseTask } from '../../../shared/doc-model/parse.ts';
import { readTasks } from '../../../shared/doc-model/read.ts';
import type { ReadProblem, Task } from '../../../shared/doc-model/types.ts';
import { compareRankThenId } from '../../../shared/rank.ts';

export type Board = Record<TaskStatus, Task[]>;

export interface BoardCache {
  /** Bumped whenever a live task appears, changes or disappears. */
  readonly version: number;
  /** How many times a task was parsed since the cache was built (the initial full read excluded). */
  readonly parseCount: number;
  /** Same value as readBoard(doc), the same object for as long as `version` does not move. */
  board(): Board;
  subscribe(listener: () => void): () => void;
}

const caches = new WeakMap<Y.Doc, BoardCache>();

/** The doc's cache, built on first use; it lives (and listens) as long as the doc does. */
export function boardCacheOf(doc: Y.Doc): BoardCache {
  let cache = caches.get(doc);
  if (!cache) {
    cache = createBoardCache(doc);
    caches.set(doc, cache);
  }
  return cache;
}

/** The ids of task entries a transaction changed, at any depth (fields, description text, checklist, tags). */
export function touchedTaskIds(doc: Y.Doc, tr: Y.Transaction): Set<string> {
  const root: unknown = tasksMap(doc);
  const ids = new Set<string>();
  for (const [type, keys] of tr.changed) {
    if (type === root) {
      for (const key of keys) if (key !== null) ids.add(key);
      continue;
    }
    // Same walk as shared/projection.ts collect(): up to the entry whose parent is the tasks map.
    let node = type;
    while (node._item !== null) {
      const parent = node._item.parent;
      if (!(parent instanceof Y.AbstractType)) break;
      if (parent === root) {
        if (node._item.parentSub !== null) ids.add(node._item.parentSub);
        break;
      }
      node = parent;
    }
  }
  return ids;
}

function createBoardCache(doc: Y.Doc): BoardCache {
  const tasks = new Map<string, Task>();
  for (const task of readTasks(doc).tasks) tasks.set(task.id, task);
  const listeners = new Set<() => void>();
  // Columns whose membership or order may have changed since the last board(), and the tasks that did.
  const dirty = new Set<TaskStatus>();
  /** Changed task id -> the task as the last built board has it (undefined: it was not on the board). */
  const changed = new Map<string, Task | undefined>();
  let version = 0;
  let parseCount = 0;
  let built: { version: number; board: Board } | null = null;

  const onTransaction = (tr: Y.Transaction): void => {
    if (tr.changed.size === 0) return;
    let any = false;
    for (const id of touchedTaskIds(doc, tr)) {
      const before = tasks.get(id);
      // Problems are the doc-model's concern (readTasks reports them); the board only needs the result.
      const problems: ReadProblem[] = [];
      parseCount++;
      const parsed = parseTask(id, tasksMap(doc).get(id), problems);
      const after = parsed && parsed.deleted_at === null ? parsed : undefined;
      if (before && after && sameTask(before, after)) continue;
      if (!before && !after) continue;
      any = true;
      if (!changed.has(id)) changed.set(id, before);
      if (before) dirty.add(before.status);
      if (after) {
        dirty.add(after.status);
        tasks.set(id, after);
      } else {
        tasks.delete(id);
      }
    }
    if (!any) return;
    version++;
    for (const listener of [...listeners]) listener();
  };
  doc.on('afterTransaction', onTransaction);

  const board = (): Board => {
    if (built && built.version === version) return built.board;
    const prev = built?.board;
    const next = {} as Board;
    if (!prev || changed.size > PATCH_LIMIT) {
      // First read, or a large batch (a sync, a bulk import): sort the affected columns from scratch.
      const rebuild = new Set<TaskStatus>(prev ? dirty : TASK_STATUSES);
      const columns = new Map<TaskStatus, Task[]>([...rebuild].map((s) => [s, []]));
      for (const task of tasks.values()) columns.get(task.status)?.push(task);
      for (const s of TASK_STATUSES) {
        const column = columns.get(s);
        next[s] = column ? column.sort(compareRankThenId) : prev![s];
      }
    } else {
      // A few changed tasks (a move, an edit): take them out of their old columns and insert them where
      // they now sort, so a move costs a pass over two columns instead of a sort of the whole board.
      for (const s of TASK_STATUSES) next[s] = dirty.has(s) ? patchColumn(prev[s], s, changed, tasks) : prev[s];
    }
    if (prev) for (const s of TASK_STATUSES) if (next[s] !== prev[s] && sameElements(prev[s], next[s])) next[s] = prev[s];
    dirty.clear();
    changed.clear();
    const unchanged = prev !== undefined && TASK_STATUSES.every((s) => prev[s] === next[s]);
    built = { version, board: unchanged ? prev : next };
    return built.board;
  };

  return {
    get version() {
      return version;
    },
    get parseCount() {
      return parseCount;
    },
    board,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Above this many changed tasks since the last read, columns are rebuilt and sorted instead of patched. */
const PATCH_LIMIT = 64;

/**
 * `column` without the changed tasks, plus those of them now in `status`, each inserted in (rank, id)
 * order. Columns are sorted by (rank, id), so both the removals (of the task as the column has it) and the
 * insertions are binary searches: a move costs O(log n) comparisons and two array shifts.
 */
function patchColumn(column: readonly Task[], status: TaskStatus, changed: ReadonlyMap<string, Task | undefined>, tasks: ReadonlyMap<string, Task>): Task[] {
  const out = column.slice();
  for (const before of changed.values()) {
    if (!before || before.status !== status) continue;
    let i = lowerBound(out, before);
    if (out[i] !== before) i = out.findIndex((t) => t.id === before.id);
    if (i >= 0) out.splice(i, 1);
  }
  for (const id of changed.keys()) {
    const task = tasks.get(id);
    if (task && task.status === status) out.splice(lowerBound(out, task), 0, task);
  }
  return out;
}

/** First index whose task sorts at or after `task`. */
function lowerBound(list: readonly Task[], task: Task): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareRankThenId(list[mid]!, task) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sameElements<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Field-by-field equality, so a transaction that leaves a task as it was (a replayed update) keeps its object. */
function sameTask(a: Task, b: Task): boolean {
  for (const key of Object.keys(a) as (keyof Task)[]) {
    if (key === 'tag_ids' || key === 'checklist') continue;
    if (a[key] !== b[key]) return false;
  }
  if (Object.keys(a).length !== Object.keys(b).length) return false;
  if (!sameElements(a.tag_ids, b.tag_ids) || a.checklist.length !== b.checklist.length) return false;
  return a.checklist.every((item, i) => {
    const other = b.checklist[i];
    return other !== undefined && item.id === other.id && item.text === other.text && item.done === other.done;
  });
}
