// One seeded convergence run: replicas make random edits through the doc-model API over an unreliable
// network, then everything is delivered and the invariants are checked. Weighted toward the hard cases
// of issue 3: concurrent moves of one task, concurrent edits of one description, delete vs edit, replies
// to deleted comments; plus partitions (disconnect/reconnect) and lossy, reordering, duplicating links.
import type * as Y from 'yjs';
import { TASK_PRIORITIES, TASK_STATUSES } from '../api.ts';
import * as M from '../doc-model.ts';
import { applyDelta, projectDoc, projectTransaction, type ProjectionRows } from '../projection.ts';
import { checkAtomicMoves, checkBoard, checkCommentTrees, recordPositions, type PositionLog } from './invariants.ts';
import { DEFAULT_NETWORK, TestNetwork, nothingPending } from './network.ts';
import { createRng, type Rng } from './prng.ts';

export interface FuzzOptions {
  replicas: number;
  operations: number;
  /**
   * Replicas (the first n) that generate ranks without jitter, so two of them placing a task at the same
   * spot pick the same key: the concurrent-tie case of DM2/DM3 then happens in most runs.
   */
  tieProneReplicas: number;
}
export const DEFAULT_FUZZ: FuzzOptions = { replicas: 5, operations: 160, tieProneReplicas: 2 };

export interface FuzzResult {
  violations: string[];
  /** Operations refused with DocModelError (e.g. a duplicate tag name): expected, and counted. */
  refused: number;
  applied: number;
  network: TestNetwork['stats'];
}

const WEIGHTS = {
  move: 24,
  statusChange: 6,
  description: 20,
  fields: 8,
  deleteTask: 5,
  restoreTask: 4,
  comment: 6,
  reply: 12,
  deleteComment: 8,
  editComment: 3,
  createTask: 3,
  tags: 6,
  checklist: 8,
  attachment: 3,
} as const;
type Op = keyof typeof WEIGHTS;

export function runFuzz(seed: number, opts: FuzzOptions = DEFAULT_FUZZ): FuzzResult {
  const rng = createRng(seed);
  const net = new TestNetwork(opts.replicas, rng.fork(), DEFAULT_NETWORK);
  const log: PositionLog = new Map();
  let clock = Date.UTC(2026, 0, 1);
  const ctxs: M.WriteContext[] = net.docs.map((_, i) => ({
    now: () => new Date((clock += rng.int(1, 5000))),
    newId: () => rng.uuid(),
    rank: i < opts.tieProneReplicas ? { jitterDigits: 0 } : { random: () => rng.next() },
    userId: `00000000-0000-4000-8000-00000000000${i}`,
    origin: `replica-${i}`,
  }));
  const mirrors: ProjectionRows[] = net.docs.map((doc) => projectDoc(doc));
  net.docs.forEach((doc, i) => {
    recordPositions(doc, log);
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      mirrors[i] = applyDelta(mirrors[i], projectTransaction(doc, tr));
    });
  });

  // A shared starting board, so that later concurrent edits target the same few tasks.
  const d0 = net.docs[0];
  M.initDoc(d0, ctxs[0]);
  const tags = [M.createTag(d0, { name: 'bug', color: '#cc0000' }, ctxs[0]), M.createTag(d0, { name: 'ux' }, ctxs[0])];
  for (let i = 0; i < 4; i++) {
    const id = M.createTask(d0, { title: `task ${i}`, status: rng.pick(TASK_STATUSES), tag_ids: [rng.pick(tags)], checklist: [{ text: 'a' }, { text: 'b' }] }, ctxs[0]);
    M.addComment(d0, { task_id: id, content: `root ${i}`, author_id: null }, ctxs[0]);
  }
  net.settle();

  let refused = 0;
  let applied = 0;
  for (let n = 0; n < opts.operations; n++) {
    const r = rng.int(0, opts.replicas - 1);
    try {
      if (applyRandomOp(net.docs[r], ctxs[r], rng, rng.weighted(WEIGHTS), `${r}.${n}`, r < opts.tieProneReplicas)) applied++;
    } catch (e) {
      if (!(e instanceof M.DocModelError)) throw e;
      refused++;
    }
    for (let s = rng.int(0, 4); s > 0; s--) net.step();
    const dice = rng.next();
    if (dice < 0.03) net.disconnect(rng.int(0, opts.replicas - 1));
    else if (dice < 0.07) {
      const off = net.online.flatMap((on, i) => (on ? [] : [i]));
      if (off.length) net.reconnect(rng.pick(off));
    } else if (dice < 0.09) {
      const a = rng.int(0, opts.replicas - 1);
      const b = rng.int(0, opts.replicas - 1);
      if (a !== b && net.online[a] && net.online[b]) net.syncPair(a, b, false);
    }
  }
  net.settle();

  const violations: string[] = [];
  const reference = JSON.stringify(projectDoc(net.docs[0]));
  net.docs.forEach((doc, i) => {
    if (!nothingPending(doc)) violations.push(`[DM12] replica ${i} still holds pending structs or deletions`);
    const rows = JSON.stringify(projectDoc(doc));
    if (rows !== reference) violations.push(`[DM12] replica ${i}'s projection differs from replica 0's`);
    if (JSON.stringify(mirrors[i]) !== rows) violations.push(`[DM11] replica ${i}'s incremental projection differs from its full projection`);
  });
  const doc = net.docs[0];
  violations.push(...checkAtomicMoves(doc, log), ...checkBoard(doc), ...checkCommentTrees(doc));
  const result = { violations, refused, applied, network: net.stats };
  net.destroy();
  return result;
}

/**
 * One random operation through the doc-model API (exported for the projection test). `crowd`: half of the
 * moves go to the end of TODO, so that tie-prone replicas often pick one key concurrently.
 */
export function applyRandomOp(doc: Y.Doc, ctx: M.WriteContext, rng: Rng, op: Op, tag: string, crowd = false): boolean {
  const all = M.readTasks(doc, { includeDeleted: true }).tasks;
  const live = all.filter((t) => t.deleted_at === null);
  if (all.length === 0) return false;
  const task = rng.pick(all);
  switch (op) {
    case 'move': {
      if (crowd && rng.bool(0.5)) {
        M.moveTask(doc, task.id, { status: 'TODO' }, ctx);
        return true;
      }
      const status = rng.pick(TASK_STATUSES);
      const column = M.readColumn(doc, status).filter((e) => e.id !== task.id);
      const k = rng.int(0, column.length);
      const mode = rng.int(0, 3);
      M.moveTask(doc, task.id, {
        status,
        after_id: mode === 0 || mode === 1 ? (column[k - 1]?.id ?? null) : null,
        before_id: mode === 0 || mode === 2 ? (column[k]?.id ?? null) : null,
      }, ctx);
      return true;
    }
    case 'statusChange':
      M.updateTask(doc, task.id, { status: rng.pick(TASK_STATUSES) }, ctx);
      return true;
    case 'description': {
      const text = M.getDescription(doc, task.id);
      if (!text) return false;
      if (text.length > 0 && rng.bool(0.35)) {
        const at = rng.int(0, text.length - 1);
        text.delete(at, rng.int(1, Math.min(6, text.length - at)));
      } else text.insert(rng.int(0, text.length), `<${tag}>`);
      return true;
    }
    case 'fields':
      M.updateTask(doc, task.id, {
        ...(rng.bool() ? { title: `title ${tag}` } : {}),
        ...(rng.bool() ? { priority: rng.pick(TASK_PRIORITIES) } : {}),
        ...(rng.bool(0.3) ? { due_date: rng.bool(0.2) ? null : `2026-0${rng.int(1, 9)}-1${rng.int(0, 9)}` } : {}),
        ...(rng.bool(0.3) ? { estimated_hours: rng.int(0, 40) / 2 } : {}),
        ...(rng.bool(0.2) ? { description: `rewritten ${tag}` } : {}),
      }, ctx);
      return true;
    case 'deleteTask':
      M.deleteTask(doc, task.id, ctx);
      return true;
    case 'restoreTask':
      M.restoreTask(doc, task.id, ctx);
      return true;
    case 'createTask': {
      const status = rng.pick(TASK_STATUSES);
      const column = M.readColumn(doc, status);
      M.createTask(doc, { title: `new ${tag}`, status, after_id: column.length && rng.bool() ? rng.pick(column).id : null }, ctx);
      return true;
    }
    default:
      return applyRandomSideOp(doc, ctx, rng, op, tag, live.length ? rng.pick(live).id : task.id);
  }
}

function applyRandomSideOp(doc: Y.Doc, ctx: M.WriteContext, rng: Rng, op: Op, tag: string, taskId: string): boolean {
  const comments = M.readComments(doc).comments;
  switch (op) {
    case 'comment':
      M.addComment(doc, { task_id: taskId, content: `comment ${tag}`, author_id: ctx.userId ?? null }, ctx);
      return true;
    case 'reply': {
      if (!comments.length) return false;
      const parent = rng.pick(comments); // deleted parents included: replies to them must stay visible
      M.addComment(doc, { task_id: parent.task_id, parent_id: parent.id, content: `reply ${tag}`, author_id: null }, ctx);
      return true;
    }
    case 'deleteComment':
    case 'editComment': {
      const liveComments = comments.filter((c) => c.deleted_at === null);
      if (!liveComments.length) return false;
      const c = rng.pick(liveComments);
      if (op === 'deleteComment') M.deleteComment(doc, c.id, ctx);
      else M.editComment(doc, c.id, `edited ${tag}`, ctx);
      return true;
    }
    case 'tags': {
      const tags = M.readTags(doc);
      const choice = rng.int(0, 9);
      if (choice === 0 || tags.length === 0) M.createTag(doc, { name: `tag ${tag}` }, ctx);
      else if (choice === 1) M.deleteTag(doc, rng.pick(tags).id, ctx);
      else if (choice === 2) M.renameTag(doc, rng.pick(tags).id, `renamed ${tag}`, ctx);
      else M.setTaskTags(doc, taskId, tags.filter(() => rng.bool(0.4)).map((t) => t.id), ctx);
      return true;
    }
    case 'checklist': {
      const items = M.readTask(doc, taskId)?.checklist ?? [];
      const choice = rng.int(0, 4);
      if (choice === 0 || items.length === 0) M.addChecklistItem(doc, taskId, `item ${tag}`, ctx);
      else if (choice === 1) M.toggleChecklistItem(doc, taskId, rng.pick(items).id, undefined, ctx);
      else if (choice === 2) M.moveChecklistItem(doc, taskId, rng.pick(items).id, rng.int(0, items.length), ctx);
      else if (choice === 3) M.editChecklistItem(doc, taskId, rng.pick(items).id, `edited ${tag}`, ctx);
      else M.removeChecklistItem(doc, taskId, rng.pick(items).id, ctx);
      return true;
    }
    case 'attachment': {
      const attachments = M.readAttachments(doc);
      if (attachments.length && rng.bool(0.3)) M.removeAttachment(doc, rng.pick(attachments).id, ctx);
      else M.addAttachment(doc, { id: rng.uuid(), task_id: taskId, name: `file ${tag}.txt`, size: rng.int(0, 1e6), mime: 'text/plain', sha256: null, uploaded_by: null }, ctx);
      return true;
    }
    default:
      return false;
  }
}
