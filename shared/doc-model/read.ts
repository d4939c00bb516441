// Reads: plain typed objects in a deterministic order (same document -> same result on every replica).
// They never throw and never write.
import * as Y from 'yjs';
import { TASK_STATUSES, type TaskStatus } from '../api.ts';
import { compareRankThenId } from '../rank.ts';
import { attachmentsMap, commentsMap, tagsMap, tasksMap } from './layout.ts';
import { parseAttachment, parseComment, parseTag, parseTask, readRank, readStatus } from './parse.ts';
import type { Attachment, Comment, CommentNode, ReadProblem, Tag, Task } from './types.ts';
import { isIsoTimestamp, isUuid } from './validate.ts';

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The task (deleted ones included), or null when absent or unreadable. Accepts upper-case ids. */
export function readTask(doc: Y.Doc, id: string): Task | null {
  if (typeof id !== 'string') return null;
  const key = id.toLowerCase();
  return parseTask(key, tasksMap(doc).get(key), []);
}

/** Every readable task (deleted ones only on request), ordered by id. */
export function readTasks(doc: Y.Doc, opts: { includeDeleted?: boolean } = {}): { tasks: Task[]; problems: ReadProblem[] } {
  const problems: ReadProblem[] = [];
  const tasks: Task[] = [];
  for (const [id, value] of tasksMap(doc).entries()) {
    const task = parseTask(id, value, problems);
    if (task && (opts.includeDeleted || task.deleted_at === null)) tasks.push(task);
  }
  return { tasks: tasks.sort(byId), problems };
}

/** Non-deleted tasks by column, each column in (rank, id) order [DM2]. */
export function readBoard(doc: Y.Doc): Record<TaskStatus, Task[]> {
  const board = Object.fromEntries(TASK_STATUSES.map((s) => [s, [] as Task[]])) as Record<TaskStatus, Task[]>;
  for (const task of readTasks(doc).tasks) board[task.status].push(task);
  for (const s of TASK_STATUSES) board[s].sort(compareRankThenId);
  return board;
}

export interface ColumnEntry {
  id: string;
  rank: string;
}

/**
 * The ids and ranks of one column in board order, reading only the fields placement needs. Membership
 * must match readBoard's exactly: a parseable task (lower-case UUID key, Y.Map, known status), not deleted.
 */
export function readColumn(doc: Y.Doc, status: TaskStatus): ColumnEntry[] {
  const out: ColumnEntry[] = [];
  for (const [id, value] of tasksMap(doc).entries()) {
    if (!isUuid(id) || id !== id.toLowerCase() || !(value instanceof Y.Map)) continue;
    if (readStatus(value) !== status || isIsoTimestamp(value.get('deleted_at'))) continue;
    out.push({ id, rank: readRank(value) });
  }
  return out.sort(compareRankThenId);
}

/** Every readable comment (including deleted), optionally of one task, ordered by (created_at, id). */
export function readComments(doc: Y.Doc, taskId?: string): { comments: Comment[]; problems: ReadProblem[] } {
  const problems: ReadProblem[] = [];
  const comments: Comment[] = [];
  for (const [id, value] of commentsMap(doc).entries()) {
    const c = parseComment(id, value, problems);
    if (c && (taskId === undefined || c.task_id === taskId)) comments.push(c);
  }
  return { comments: comments.sort(byCreated), problems };
}

function byCreated(a: Comment, b: Comment): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return byId(a, b);
}

/**
 * The task's threads. A reply whose parent is missing (not yet synced, or another task's) is shown as a
 * root; a parent cycle (only a buggy client can write one) is broken at its smallest id. A deleted
 * comment is dropped unless it has live replies, in which case it stays as a placeholder with content ''
 * and deleted_at set [DM7].
 */
export function readCommentTree(doc: Y.Doc, taskId: string): CommentNode[] {
  const { comments } = readComments(doc, taskId);
  const byKey = new Map(comments.map((c) => [c.id, c]));
  const parentOf = new Map<string, string | null>();
  for (const c of comments) parentOf.set(c.id, c.parent_id !== null && byKey.has(c.parent_id) ? c.parent_id : null);
  breakCycles(parentOf);

  const children = new Map<string | null, Comment[]>();
  for (const c of comments) {
    const p = parentOf.get(c.id) ?? null;
    const list = children.get(p);
    if (list) list.push(c);
    else children.set(p, [c]);
  }
  const build = (c: Comment): CommentNode | null => {
    const replies = (children.get(c.id) ?? []).map(build).filter((n): n is CommentNode => n !== null);
    if (c.deleted_at === null) return { ...c, replies };
    return replies.length > 0 ? { ...c, content: '', replies } : null;
  };
  return (children.get(null) ?? []).map(build).filter((n): n is CommentNode => n !== null);
}

/** Makes every chain of parents end at a root, cutting each cycle at its smallest id (deterministic). */
function breakCycles(parentOf: Map<string, string | null>): void {
  const settled = new Set<string>();
  for (const start of [...parentOf.keys()].sort()) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let cur: string | null = start;
    while (cur !== null && !settled.has(cur) && !onPath.has(cur)) {
      path.push(cur);
      onPath.add(cur);
      cur = parentOf.get(cur) ?? null;
    }
    if (cur !== null && onPath.has(cur)) {
      const cycle = path.slice(path.indexOf(cur));
      parentOf.set(cycle.reduce((m, id) => (id < m ? id : m)), null);
    }
    for (const id of path) settled.add(id);
  }
}

/** Tags ordered by (name, id); deleted ones only on request. */
export function readTags(doc: Y.Doc, opts: { includeDeleted?: boolean } = {}): Tag[] {
  const problems: ReadProblem[] = [];
  const tags: Tag[] = [];
  for (const [id, value] of tagsMap(doc).entries()) {
    const tag = parseTag(id, value, problems);
    if (tag && (opts.includeDeleted || tag.deleted_at === null)) tags.push(tag);
  }
  return tags.sort((a, b) => (a.name !== b.name ? (a.name < b.name ? -1 : 1) : byId(a, b)));
}

/** Attachments (optionally of one task) ordered by (created_at, id); deleted ones only on request. */
export function readAttachments(doc: Y.Doc, taskId?: string, opts: { includeDeleted?: boolean } = {}): Attachment[] {
  const problems: ReadProblem[] = [];
  const out: Attachment[] = [];
  for (const [id, value] of attachmentsMap(doc).entries()) {
    const a = parseAttachment(id, value, problems);
    if (a && (taskId === undefined || a.task_id === taskId) && (opts.includeDeleted || a.deleted_at === null)) out.push(a);
  }
  return out.sort((a, b) => (a.created_at !== b.created_at ? (a.created_at < b.created_at ? -1 : 1) : byId(a, b)));
}
