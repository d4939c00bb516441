// Comment writers. Comments are soft-deleted so that replies keep their thread [DM7].
import * as Y from 'yjs';
import { commentsMap, write } from './layout.ts';
import { requireTask } from './tasks.ts';
import { COMMENT_MAX, DocModelError, type CommentInput, type WriteContext } from './types.ts';
import * as v from './validate.ts';

function requireComment(doc: Y.Doc, id: unknown): { id: string; map: Y.Map<unknown> } {
  const commentId = v.uuid('comment id', id);
  const value = commentsMap(doc).get(commentId);
  if (value === undefined) throw new DocModelError('NOT_FOUND', `comment ${commentId} not found`);
  if (!(value instanceof Y.Map)) v.invalid(`comment ${commentId} is malformed in the document and cannot be edited`);
  return { id: commentId, map: value };
}

/** Adds a comment, or a reply when parent_id is set (the parent may be deleted: replies to it stay visible). */
export function addComment(doc: Y.Doc, input: CommentInput, ctx?: WriteContext): string {
  return write(doc, ctx, (w) => {
    if (typeof input !== 'object' || input === null) v.invalid('comment input must be an object');
    const task = requireTask(doc, input.task_id);
    const id = v.uuid('id', input.id ?? w.newId()).toLowerCase();
    if (commentsMap(doc).has(id)) v.invalid(`a comment with id ${id} already exists`);
    const content = v.text('content', input.content, COMMENT_MAX);
    const author = v.optionalUuid('author_id', input.author_id);
    const parentId = v.optionalUuid('parent_id', input.parent_id);
    if (parentId !== null) {
      const parent = requireComment(doc, parentId);
      if (parent.map.get('task_id') !== task.id) v.invalid(`parent comment ${parentId} belongs to another task`);
    }
    const map = new Y.Map<unknown>();
    commentsMap(doc).set(id, map);
    map.set('task_id', task.id);
    map.set('parent_id', parentId);
    map.set('author_id', author);
    map.set('content', content);
    map.set('created_at', w.now);
    map.set('edited_at', null);
    map.set('deleted_at', null);
    return id;
  });
}

export function editComment(doc: Y.Doc, id: string, content: string, ctx?: WriteContext): void {
  write(doc, ctx, (w) => {
    const comment = requireComment(doc, id);
    const text = v.text('content', content, COMMENT_MAX);
    if (typeof comment.map.get('deleted_at') === 'string') v.invalid(`comment ${comment.id} is deleted`);
    if (comment.map.get('content') === text) return;
    comment.map.set('content', text);
    comment.map.set('edited_at', w.now);
  });
}

/** Soft delete; the content stays in the document (and its projection row), readers show a placeholder. */
export function deleteComment(doc: Y.Doc, id: string, ctx?: WriteContext): void {
  write(doc, ctx, (w) => {
    const comment = requireComment(doc, id);
    if (typeof comment.map.get('deleted_at') === 'string') return;
    comment.map.set('deleted_at', w.now);
  });
}

/** Undoes a soft delete (the "Recently deleted" view). The content was kept, so it comes back unchanged. */
export function restoreComment(doc: Y.Doc, id: string, ctx?: WriteContext): void {
  write(doc, ctx, () => {
    const comment = requireComment(doc, id);
    if (comment.map.get('deleted_at') == null) return;
    comment.map.set('deleted_at', null);
  });
}
