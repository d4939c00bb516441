// /api/projects/{id}/tasks and /api/tasks/{id}: reads from the tasks projection, writes as Yjs transactions on
// the project's document (deps.docs), so connected clients see REST changes live and offline ones merge them.
// Every write answers with the row as the projection holds it after the commit.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { createTask, deleteTask, moveTask, restoreTask, updateTask } from '../../../shared/doc-model.ts';
import {
  TaskCreateSchema,
  TaskListQuerySchema,
  TaskMoveSchema,
  TaskPatchSchema,
  TaskSchema,
  type TaskDto,
  type TaskPatchInput,
} from '../../../shared/schemas/tasks.ts';
import { requireToken, unauthorizedFor } from '../auth/middleware.ts';
import type { Sql } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { okJsonPage } from '../http/respond.ts';
import { newRouter } from '../http/router.ts';
import { assertProjectRole, requireProjectRole } from '../projects/membership.ts';
import { bearer, envelope, errors, json, ProjectIdParams } from '../projects/route-schemas.ts';
import { boardAuth, boardCreate, requireEntityAccess, writeDoc } from './board-access.ts';
import { applyChecklist } from './checklist-patch.ts';
import { getTask, listTasks } from './task-queries.ts';

const tags = ['Tasks'];
const IdParams = ProjectIdParams;
const jsonBody = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const one = (description: string) => json(envelope(TaskSchema), description);

const listRoute = createRoute({
  method: 'get',
  path: '/projects/{id}/tasks',
  tags,
  summary: 'Tasks of a project: filters, search, sort (board order by default), pagination',
  security: bearer,
  request: { params: IdParams, query: TaskListQuerySchema },
  responses: { 200: json(envelope(z.array(TaskSchema), { paginated: true }), 'One page of tasks'), 400: errors[400], 401: errors[401], 404: errors[404] },
});

const createTaskRoute = createRoute({
  method: 'post',
  path: '/projects/{id}/tasks',
  tags,
  summary: 'Create a task (Idempotency-Key supported)',
  security: bearer,
  request: { params: IdParams, body: jsonBody(TaskCreateSchema) },
  responses: { 201: one('The created task'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
});

const getRoute = createRoute({
  method: 'get',
  path: '/tasks/{id}',
  tags,
  summary: 'One task (deleted ones too, with deleted_at set)',
  security: bearer,
  request: { params: IdParams },
  responses: { 200: one('The task'), 401: errors[401], 404: errors[404] },
});

const patchConfig = {
  path: '/tasks/{id}',
  tags,
  security: bearer,
  request: { params: IdParams, body: jsonBody(TaskPatchSchema) },
  responses: { 200: one('The task after the change'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
} as const;
const patchRoute = createRoute({ ...patchConfig, method: 'patch', summary: 'Change fields of a task; tag_ids sets its tags' });
const putRoute = createRoute({ ...patchConfig, method: 'put', summary: 'Same as PATCH (kept for the original API\'s clients)' });

const deleteRoute = createRoute({
  method: 'delete',
  path: '/tasks/{id}',
  tags,
  summary: 'Soft-delete a task (restore with POST /restore)',
  security: bearer,
  request: { params: IdParams },
  responses: { 200: one('The deleted task'), 401: errors[401], 403: errors[403], 404: errors[404] },
});

const restoreRoute = createRoute({
  method: 'post',
  path: '/tasks/{id}/restore',
  tags,
  summary: 'Bring a deleted task back',
  security: bearer,
  request: { params: IdParams },
  responses: { 200: one('The restored task'), 401: errors[401], 403: errors[403], 404: errors[404] },
});

const moveRoute = createRoute({
  method: 'post',
  path: '/tasks/{id}/move',
  tags,
  summary: 'Move a task to a column, between two neighbours (default: the end of the column)',
  security: bearer,
  request: { params: IdParams, body: jsonBody(TaskMoveSchema) },
  responses: { 200: one('The moved task'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
});

/** Mounted at /api. */
export function taskRoutes(deps: AppDeps) {
  const { sql } = deps;
  const router = newRouter();
  const auth = boardAuth(deps);

  const found = async (id: string): Promise<TaskDto> => {
    const task = await getTask(sql, id);
    // The DocWriter resolves after the projection committed, so a missing row here is a server bug.
    if (!task) throw new Error(`task ${id} has no projection row after a committed write`);
    return task;
  };
  const okTask = (c: Context<AppEnv>, task: TaskDto) => c.json({ success: true as const, data: task }, 200);

  // The session (when only the token was checked, see requireToken) and membership are read in the list's own
  // statement: the same 401 as requireAuth, then the same 404/403 as requireProjectRole.
  const token = requireToken(deps);
  const listAuth = createMiddleware<AppEnv>(async (c, next) => (c.var.user || c.var.token ? next() : token(c, next)));
  router.openapi({ ...listRoute, middleware: [listAuth] }, async (c) => {
    const { id } = c.req.valid('param');
    const reader = c.var.user ? { userId: c.var.user.id } : { userId: c.var.token.userId, session: c.var.token };
    const { live, role, data, pagination } = await listTasks(sql, id, reader, c.req.valid('query'));
    if (!live) throw unauthorizedFor('revoked');
    assertProjectRole(role, 'project.read');
    return okJsonPage<TaskDto[]>(c, data, pagination);
  });

  router.openapi({ ...createTaskRoute, middleware: boardCreate(deps) }, async (c) => {
    const { id: projectId } = c.req.valid('param');
    const userId = c.var.user.id;
    await requireProjectRole(sql, projectId, userId, 'board.write');
    const body = c.req.valid('json');
    if (body.id) {
      const [existing] = await sql`SELECT 1 FROM tasks WHERE id = ${body.id}`;
      if (existing) throw new ApiError('CONFLICT', 'A task with this id already exists');
    }
    await requireMembers(sql, projectId, { assignee_id: body.assignee_id, reporter_id: body.reporter_id });
    const taskId = await writeDoc(deps, projectId, userId, (doc) => createTask(doc, body, { userId }), { missingIs: 'VALIDATION_ERROR' });
    return c.json({ success: true as const, data: await found(taskId) }, 201);
  });

  router.openapi({ ...getRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    await requireEntityAccess(sql, 'tasks', id, c.var.user.id, 'project.read', 'Task');
    return okTask(c, await found(id));
  });

  const patchHandler = async (c: Context<AppEnv>, id: string, patch: TaskPatchInput) => {
    const userId = c.var.user.id;
    const { projectId, deleted } = await requireEntityAccess(sql, 'tasks', id, userId, 'board.write', 'Task');
    requireLive(deleted);
    await requireMembers(sql, projectId, { assignee_id: patch.assignee_id });
    const { checklist, ...fields } = patch;
    await writeDoc(
      deps,
      projectId,
      userId,
      (doc) => {
        // Validate the checklist change first: the doc-model writers change nothing when they refuse.
        const applyList = checklist ? applyChecklist(doc, id, checklist, { userId }) : null;
        if (Object.keys(fields).length > 0) updateTask(doc, id, fields, { userId });
        applyList?.();
      },
      { missingIs: 'VALIDATION_ERROR' },
    );
    return okTask(c, await found(id));
  };
  router.openapi({ ...patchRoute, middleware: [auth] }, (c) => patchHandler(c, c.req.valid('param').id, c.req.valid('json')));
  router.openapi({ ...putRoute, middleware: [auth] }, (c) => patchHandler(c, c.req.valid('param').id, c.req.valid('json')));

  router.openapi({ ...deleteRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    const userId = c.var.user.id;
    const { projectId } = await requireEntityAccess(sql, 'tasks', id, userId, 'board.write', 'Task');
    await writeDoc(deps, projectId, userId, (doc) => deleteTask(doc, id, { userId }));
    return okTask(c, await found(id));
  });

  router.openapi({ ...restoreRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    const userId = c.var.user.id;
    const { projectId } = await requireEntityAccess(sql, 'tasks', id, userId, 'board.write', 'Task');
    await writeDoc(deps, projectId, userId, (doc) => restoreTask(doc, id, { userId }));
    return okTask(c, await found(id));
  });

  router.openapi({ ...moveRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    const userId = c.var.user.id;
    const { projectId, deleted } = await requireEntityAccess(sql, 'tasks', id, userId, 'board.write', 'Task');
    requireLive(deleted);
    const to = c.req.valid('json');
    await writeDoc(deps, projectId, userId, (doc) => moveTask(doc, id, to, { userId }), { missingIs: 'VALIDATION_ERROR' });
    return okTask(c, await found(id));
  });

  return router;
}

function requireLive(deleted: boolean) {
  if (deleted) throw new ApiError('CONFLICT', 'The task is deleted; restore it first (POST /api/tasks/{id}/restore)');
}

/** Assignees and reporters must be members of the project (any role), so nobody is assigned to a stranger. */
async function requireMembers(sql: Sql, projectId: string, users: Record<string, string | null | undefined>) {
  for (const [field, userId] of Object.entries(users)) {
    if (!userId) continue;
    const [member] = await sql`SELECT 1 FROM project_members WHERE project_id = ${projectId} AND user_id = ${userId}`;
    if (!member) {
      throw new ApiError('VALIDATION_ERROR', `${field}: user ${userId} is not a member of this project`, [
        { field, message: 'not a member of this project', code: 'not_a_member' },
      ]);
    }
  }
}
