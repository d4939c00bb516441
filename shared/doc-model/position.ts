// Where a task goes in a column, and the one function that writes a task's position.
import type * as Y from 'yjs';
import type { TaskStatus } from '../api.ts';
import { compareRankThenId, rankBetween } from '../rank.ts';
import { entryOf, tasksMap, type Write } from './layout.ts';
import { readColumn } from './read.ts';
import { readStatus } from './parse.ts';
import { DocModelError } from './types.ts';
import { invalid, uuid } from './validate.ts';

export interface Neighbours {
  after_id?: string | null;
  before_id?: string | null;
}

/**
 * A rank placing `taskId` in column `status` between the given neighbours (default: at the end).
 * When only one neighbour is given, the other is its actual neighbour in the column. When both are given
 * but are not adjacent, after_id wins. When the two neighbours share one rank (two replicas once picked
 * the same key), no key sorts strictly between them unless the task's id does, so the task goes
 * directly after the tied run [DM3]. Other tasks are never rewritten: that would race with their own moves.
 */
export function rankFor(w: Write, status: TaskStatus, taskId: string, at: Neighbours): string {
  const column = (w.ctx.column?.(status) ?? readColumn(w.doc, status)).filter((e) => e.id !== taskId);
  const afterId = at.after_id == null ? null : uuid('after_id', at.after_id);
  const beforeId = at.before_id == null ? null : uuid('before_id', at.before_id);
  const indexOf = (id: string, field: string): number => {
    if (id === taskId) invalid(`${field} must name another task, not the one being placed`);
    const i = column.findIndex((e) => e.id === id);
    if (i >= 0) return i;
    const entry = entryOf(tasksMap(w.doc), id);
    if (!entry) throw new DocModelError('NOT_FOUND', `${field}: task ${id} not found`);
    invalid(`${field}: task ${id} is not in column ${status} (it is deleted or in ${String(readStatus(entry))})`);
  };

  let lower: { id: string; rank: string } | null;
  let upper: { id: string; rank: string } | null;
  if (afterId !== null) {
    const i = indexOf(afterId, 'after_id');
    lower = column[i];
    upper = column[i + 1] ?? null;
    if (beforeId !== null) indexOf(beforeId, 'before_id');
  } else if (beforeId !== null) {
    const i = indexOf(beforeId, 'before_id');
    lower = column[i - 1] ?? null;
    upper = column[i];
  } else {
    lower = column[column.length - 1] ?? null;
    upper = null;
  }

  if (lower !== null && upper !== null && lower.rank === upper.rank) {
    const tiedRank = lower.rank;
    if (compareRankThenId(lower, { rank: tiedRank, id: taskId }) < 0 && compareRankThenId({ rank: tiedRank, id: taskId }, upper) < 0) {
      return tiedRank;
    }
    upper = column.find((e) => e.rank > tiedRank) ?? null;
  }
  return rankBetween(lower?.rank ?? null, upper?.rank ?? null, w.ctx.rank);
}

/**
 * Writes a task's position: `status`, `rank` and `completed_at`, always all three, as three consecutive
 * items (nothing written between them). That is what makes a move atomic under concurrency [DM1]: see
 * DOC-MODEL.md, "Why a move is atomic". Never write any of these keys anywhere else.
 */
export function writePosition(task: Y.Map<unknown>, status: TaskStatus, rank: string, w: Write): void {
  const wasDone = readStatus(task) === 'DONE';
  const prevCompleted = task.get('completed_at');
  const completedAt = status !== 'DONE' ? null : wasDone && typeof prevCompleted === 'string' ? prevCompleted : w.now;
  task.set('status', status);
  task.set('rank', rank);
  task.set('completed_at', completedAt);
}
