// Checks of the invariants in shared/DOC-MODEL.md over one converged replica. Each returns the list of
// violations (empty = holds) so a failing seed prints every broken rule at once.
import * as Y from 'yjs';
import { TASK_STATUSES } from '../api.ts';
import { readBoard, readCommentTree, readComments, readTasks, type CommentNode } from '../doc-model.ts';
import { compareRankThenId } from '../rank.ts';

/** Every (status, rank, completed_at) triple ever written to each task, as JSON. */
export type PositionLog = Map<string, Set<string>>;

const tripleOf = (m: Y.Map<unknown>): string => JSON.stringify([m.get('status'), m.get('rank'), m.get('completed_at') ?? null]);

/** Records the position triple of every task a local transaction of `doc` wrote a status to. */
export function recordPositions(doc: Y.Doc, log: PositionLog): void {
  const tasks: unknown = doc.getMap('tasks');
  const record = (id: string): void => {
    const m = doc.getMap('tasks').get(id);
    if (!(m instanceof Y.Map)) return;
    const set = log.get(id) ?? new Set<string>();
    set.add(tripleOf(m));
    log.set(id, set);
  };
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (!tr.local) return;
    for (const [type, keys] of tr.changed) {
      if (type === tasks) for (const key of keys) if (key !== null) record(key);
      const item = type._item;
      if (item !== null && item.parent === tasks && keys.has('status') && item.parentSub !== null) record(item.parentSub);
    }
  });
}

/** [DM1] Each task's current triple is one a single write produced, and Yjs holds it as one write's items. */
export function checkAtomicMoves(doc: Y.Doc, log: PositionLog): string[] {
  const out: string[] = [];
  for (const [id, value] of doc.getMap('tasks').entries()) {
    if (!(value instanceof Y.Map)) continue;
    const current = tripleOf(value);
    if (!log.get(id)?.has(current)) out.push(`[DM1] task ${id}: position ${current} was never written by one operation`);
    const items = ['status', 'rank', 'completed_at'].map((k) => value._map.get(k));
    const [s, r, c] = items;
    if (!s || !r || !c) {
      out.push(`[DM1] task ${id}: a position key is missing`);
      continue;
    }
    const oneWrite = s.id.client === r.id.client && r.id.client === c.id.client && r.id.clock === s.id.clock + 1 && c.id.clock === r.id.clock + 1;
    if (!oneWrite) out.push(`[DM1] task ${id}: status/rank/completed_at come from different writes`);
  }
  return out;
}

/** [DM2] [DM8] Every live task exactly once, in its status's column, in strict (rank, id) order. */
export function checkBoard(doc: Y.Doc): string[] {
  const out: string[] = [];
  const { tasks, problems } = readTasks(doc);
  for (const p of problems) out.push(`[DM10] unexpected read problem ${JSON.stringify(p)}`);
  const board = readBoard(doc);
  const seen = new Map<string, number>();
  for (const status of TASK_STATUSES) {
    const column = board[status];
    column.forEach((t, i) => {
      seen.set(t.id, (seen.get(t.id) ?? 0) + 1);
      if (t.status !== status) out.push(`[DM2] task ${t.id} with status ${t.status} is in column ${status}`);
      if (i > 0 && compareRankThenId(column[i - 1], t) >= 0) out.push(`[DM2] column ${status} is not in strict (rank, id) order at ${i}`);
    });
  }
  for (const t of tasks) {
    if (seen.get(t.id) !== 1) out.push(`[DM2] live task ${t.id} appears ${seen.get(t.id) ?? 0} times on the board`);
    if ((t.status === 'DONE') !== (t.completed_at !== null)) out.push(`[DM8] task ${t.id}: status ${t.status} with completed_at ${t.completed_at}`);
  }
  if (seen.size !== tasks.length) out.push(`[DM2] the board holds ${seen.size} tasks, ${tasks.length} are live`);
  return out;
}

/** [DM7] Every live comment shows once in its task's tree; deleted ones only as placeholders over live replies. */
export function checkCommentTrees(doc: Y.Doc): string[] {
  const out: string[] = [];
  const { comments, problems } = readComments(doc);
  for (const p of problems) out.push(`[DM10] unexpected read problem ${JSON.stringify(p)}`);
  const taskIds = new Set(comments.map((c) => c.task_id));
  for (const taskId of taskIds) {
    const shown = new Map<string, number>();
    const visit = (n: CommentNode): boolean => {
      shown.set(n.id, (shown.get(n.id) ?? 0) + 1);
      const liveBelow = n.replies.map(visit).some(Boolean);
      if (n.deleted_at !== null) {
        if (n.content !== '') out.push(`[DM7] deleted comment ${n.id} shows its content`);
        if (!liveBelow) out.push(`[DM7] deleted comment ${n.id} shown without live replies`);
      }
      return n.deleted_at === null || liveBelow;
    };
    readCommentTree(doc, taskId).forEach(visit);
    for (const c of comments) {
      if (c.task_id === taskId && c.deleted_at === null && shown.get(c.id) !== 1) {
        out.push(`[DM7] live comment ${c.id} shows ${shown.get(c.id) ?? 0} times in task ${taskId}'s tree`);
      }
    }
  }
  return out;
}
