// Reads of the comments projection. A deleted comment's text never leaves the server: it shows as an empty
// placeholder while it still has live replies (so threads keep their shape), and disappears otherwise.
import type { CommentDto } from '../../../shared/schemas/tasks.ts';
import { isUuid } from '../auth/authenticate.ts';
import type { Sql } from '../db/database.ts';

interface CommentRow {
  id: string;
  task_id: string;
  project_id: string;
  parent_comment_id: string | null;
  author_id: string | null;
  author_name: string | null;
  content: string;
  created_at: Date;
  edited_at: Date | null;
  updated_at: Date;
  deleted_at: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toDto(row: CommentRow): CommentDto {
  return {
    id: row.id,
    task_id: row.task_id,
    project_id: row.project_id,
    parent_id: row.parent_comment_id,
    author_id: row.author_id,
    author: row.author_id && row.author_name !== null ? { id: row.author_id, full_name: row.author_name } : null,
    content: row.deleted_at ? '' : row.content,
    created_at: row.created_at.toISOString(),
    edited_at: iso(row.edited_at),
    updated_at: row.updated_at.toISOString(),
    deleted_at: iso(row.deleted_at),
  };
}

export async function getComment(sql: Sql, id: string): Promise<CommentDto | null> {
  if (!isUuid(id)) return null;
  const rows = await sql<CommentRow[]>`
    SELECT c.*, u.full_name AS author_name FROM comments c LEFT JOIN users u ON u.id = c.author_id WHERE c.id = ${id}`;
  return rows[0] ? toDto(rows[0]) : null;
}

export type CommentNode = CommentDto & { replies: CommentNode[] };

/** Threads of a task, oldest first at every level. */
export async function commentTree(sql: Sql, taskId: string): Promise<CommentNode[]> {
  const rows = await sql<CommentRow[]>`
    SELECT c.*, u.full_name AS author_name FROM comments c LEFT JOIN users u ON u.id = c.author_id
    WHERE c.task_id = ${taskId} ORDER BY c.created_at, c.id`;
  return buildTree(rows.map(toDto));
}

export function buildTree(comments: CommentDto[]): CommentNode[] {
  const nodes = new Map<string, CommentNode>(comments.map((c) => [c.id, { ...c, replies: [] }]));
  const roots: CommentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parent_id ? nodes.get(node.parent_id) : undefined;
    // A reply whose parent is unknown (not synced, or a cycle a buggy client wrote) is shown at the top level.
    if (parent && !isAncestor(node, parent, nodes)) parent.replies.push(node);
    else roots.push(node);
  }
  return prune(roots);
}

function isAncestor(node: CommentNode, of: CommentNode, nodes: Map<string, CommentNode>): boolean {
  const seen = new Set<string>();
  for (let cur: CommentNode | undefined = of; cur; cur = cur.parent_id ? nodes.get(cur.parent_id) : undefined) {
    if (cur.id === node.id) return true;
    if (seen.has(cur.id)) return true;
    seen.add(cur.id);
  }
  return false;
}

/** Drops deleted comments that have no live reply below them. */
function prune(list: CommentNode[]): CommentNode[] {
  return list.flatMap((node) => {
    node.replies = prune(node.replies);
    return node.deleted_at && node.replies.length === 0 ? [] : [node];
  });
}
