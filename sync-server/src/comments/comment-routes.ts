// /api/tasks/{id}/comments and /api/comments/{id}: threaded comments, read from the comments projection and
// written through the project's document. Authors edit their own comments; deleting someone else's needs
// comments.moderate (MANAGER, ADMIN).
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { can } from '../../../shared/roles.ts';
import { addComment, deleteComment, editComment } from '../../../shared/doc-model.ts';
import { CommentCreateSchema, CommentPatchSchema, CommentSchema, type CommentDto } from '../../../shared/schemas/tasks.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { newRouter } from '../http/router.ts';
import { bearer, envelope, errors, json, ProjectIdParams } from '../projects/route-schemas.ts';
import { boardAuth, boardCreate, requireEntityAccess, writeDoc } from '../tasks/board-access.ts';
import { commentTree, getComment } from './comment-queries.ts';

const tags = ['Comments'];
const IdParams = ProjectIdParams;
const jsonBody = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const one = (description: string) => json(envelope(CommentSchema), description);

const listRoute = createRoute({
  method: 'get',
  path: '/tasks/{id}/comments',
  tags,
  summary: 'The comment threads of a task: top-level comments oldest first, each with its replies',
  security: bearer,
  request: { params: IdParams },
  responses: { 200: json(envelope(z.array(CommentSchema)), 'The threads'), 401: errors[401], 404: errors[404] },
});

const createCommentRoute = createRoute({
  method: 'post',
  path: '/tasks/{id}/comments',
  tags,
  summary: 'Comment on a task, or reply with parent_id (Idempotency-Key supported)',
  security: bearer,
  request: { params: IdParams, body: jsonBody(CommentCreateSchema) },
  responses: { 201: one('The new comment'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/comments/{id}',
  tags,
  summary: 'Edit your own comment',
  security: bearer,
  request: { params: IdParams, body: jsonBody(CommentPatchSchema) },
  responses: { 200: one('The edited comment'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/comments/{id}',
  tags,
  summary: 'Delete your own comment (MANAGER and ADMIN may delete any); replies stay in their thread',
  security: bearer,
  request: { params: IdParams },
  responses: { 200: one('The deleted comment'), 401: errors[401], 403: errors[403], 404: errors[404] },
});

/** Mounted at /api. */
export function commentRoutes(deps: AppDeps) {
  const { sql } = deps;
  const router = newRouter();
  const auth = boardAuth(deps);

  const found = async (id: string): Promise<CommentDto> => {
    const comment = await getComment(sql, id);
    if (!comment) throw new Error(`comment ${id} has no projection row after a committed write`);
    return comment;
  };
  const okComment = (c: Context<AppEnv>, comment: CommentDto) => c.json({ success: true as const, data: comment }, 200);

  router.openapi({ ...listRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    await requireEntityAccess(sql, 'tasks', id, c.var.user.id, 'project.read', 'Task');
    return c.json({ success: true as const, data: await commentTree(sql, id) }, 200);
  });

  router.openapi({ ...createCommentRoute, middleware: boardCreate(deps) }, async (c) => {
    const { id: taskId } = c.req.valid('param');
    const userId = c.var.user.id;
    const { projectId, deleted } = await requireEntityAccess(sql, 'tasks', taskId, userId, 'board.write', 'Task');
    if (deleted) throw new ApiError('CONFLICT', 'The task is deleted; restore it before commenting');
    const { content, parent_id } = c.req.valid('json');
    if (parent_id) {
      const [parent] = await sql<{ task_id: string }[]>`SELECT task_id FROM comments WHERE id = ${parent_id}`;
      if (!parent || parent.task_id !== taskId) {
        throw new ApiError('VALIDATION_ERROR', 'parent_id must be a comment of the same task', [
          { field: 'parent_id', message: 'no such comment on this task', code: 'invalid_parent' },
        ]);
      }
    }
    const commentId = await writeDoc(
      deps,
      projectId,
      userId,
      // Authorship is the caller, never a field from the body.
      (doc) => addComment(doc, { task_id: taskId, parent_id: parent_id ?? null, content, author_id: userId }, { userId }),
      { missingIs: 'VALIDATION_ERROR' },
    );
    return c.json({ success: true as const, data: await found(commentId) }, 201);
  });

  router.openapi({ ...patchRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    const userId = c.var.user.id;
    const { projectId } = await requireEntityAccess(sql, 'comments', id, userId, 'board.write', 'Comment');
    const current = await found(id);
    if (current.author_id !== userId) throw new ApiError('FORBIDDEN', 'Only the author can edit a comment');
    if (current.deleted_at) throw new ApiError('CONFLICT', 'The comment is deleted');
    const { content } = c.req.valid('json');
    await writeDoc(deps, projectId, userId, (doc) => editComment(doc, id, content, { userId }));
    return okComment(c, await found(id));
  });

  router.openapi({ ...deleteRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    const userId = c.var.user.id;
    const { projectId, role } = await requireEntityAccess(sql, 'comments', id, userId, 'project.read', 'Comment');
    const current = await found(id);
    const own = current.author_id === userId && can(role, 'board.write');
    if (!own && !can(role, 'comments.moderate')) {
      throw new ApiError('FORBIDDEN', can(role, 'board.write') ? 'Only the author, a MANAGER or an ADMIN can delete this comment' : `Your role (${role}) does not allow this`);
    }
    await writeDoc(deps, projectId, userId, (doc) => deleteComment(doc, id, { userId }));
    return okComment(c, await found(id));
  });

  return router;
}
