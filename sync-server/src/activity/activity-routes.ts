// GET /api/projects/{id}/activity and /api/tasks/{id}/activity: who changed what, newest first. The rows are
// written by the sync server in the same commit as the document change, attributed to the authenticated
// sender (socket or REST caller), never to a field of the document.
import { createRoute, z } from '@hono/zod-openapi';
import { ActivityQuerySchema, ActivitySchema, type ActivityDto, type ActivityQuery } from '../../../shared/schemas/tasks.ts';
import type { Sql } from '../db/database.ts';
import type { AppDeps } from '../http/context.ts';
import { paginate } from '../http/respond.ts';
import { newRouter } from '../http/router.ts';
import { requireProjectRole } from '../projects/membership.ts';
import { bearer, envelope, errors, json, ProjectIdParams } from '../projects/route-schemas.ts';
import { boardAuth, requireEntityAccess } from '../tasks/board-access.ts';

const tags = ['Activity'];
const page = json(envelope(z.array(ActivitySchema), { paginated: true }), 'One page of activity, newest first');

const projectRoute = createRoute({
  method: 'get',
  path: '/projects/{id}/activity',
  tags,
  summary: 'Activity of a project (filters: user_id, action, since, until)',
  security: bearer,
  request: { params: ProjectIdParams, query: ActivityQuerySchema },
  responses: { 200: page, 400: errors[400], 401: errors[401], 404: errors[404] },
});

const taskRoute = createRoute({
  method: 'get',
  path: '/tasks/{id}/activity',
  tags,
  summary: 'Activity of one task (filters: user_id, action, since, until)',
  security: bearer,
  request: { params: ProjectIdParams, query: ActivityQuerySchema },
  responses: { 200: page, 400: errors[400], 401: errors[401], 404: errors[404] },
});

interface ActivityRow {
  id: string;
  project_id: string;
  task_id: string | null;
  user_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  changes: Record<string, unknown> | null;
  created_at: Date;
}

const toDto = (r: ActivityRow): ActivityDto => ({
  id: r.id,
  project_id: r.project_id,
  task_id: r.task_id,
  user_id: r.user_id,
  action: r.action,
  entity_type: r.entity_type,
  entity_id: r.entity_id,
  changes: r.changes ?? {},
  created_at: r.created_at.toISOString(),
});

/** A bare date as `until` means the whole of that day (UTC). */
const untilBound = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T23:59:59.999Z` : v);

export async function listActivity(sql: Sql, scope: { projectId: string; taskId?: string }, q: ActivityQuery) {
  const where = [scope.taskId ? sql`a.task_id = ${scope.taskId} AND a.project_id = ${scope.projectId}` : sql`a.project_id = ${scope.projectId}`];
  if (q.user_id) where.push(sql`a.user_id = ${q.user_id}`);
  if (q.action) where.push(sql`a.action IN ${sql(q.action)}`);
  if (q.since) where.push(sql`a.created_at >= ${q.since}::timestamptz`);
  if (q.until) where.push(sql`a.created_at <= ${untilBound(q.until)}::timestamptz`);
  const condition = where.reduce((acc, part) => sql`${acc} AND ${part}`);
  const [counted] = await sql<{ total: string }[]>`SELECT count(*) AS total FROM activity_log a WHERE ${condition}`;
  const rows = await sql<ActivityRow[]>`
    SELECT a.id, a.project_id, a.task_id, a.user_id, a.action, a.entity_type, a.entity_id, a.changes, a.created_at
    FROM activity_log a WHERE ${condition}
    ORDER BY a.created_at DESC, a.id DESC
    LIMIT ${q.per_page} OFFSET ${(q.page - 1) * q.per_page}`;
  return { entries: rows.map(toDto), pagination: paginate(q.page, q.per_page, Number(counted?.total ?? 0)) };
}

/** Mounted at /api. */
export function activityRoutes(deps: AppDeps) {
  const { sql } = deps;
  const router = newRouter();
  const auth = boardAuth(deps);

  router.openapi({ ...projectRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    await requireProjectRole(sql, id, c.var.user.id, 'project.read');
    const { entries, pagination } = await listActivity(sql, { projectId: id }, c.req.valid('query'));
    return c.json({ success: true as const, data: entries, pagination }, 200);
  });

  router.openapi({ ...taskRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    const { projectId } = await requireEntityAccess(sql, 'tasks', id, c.var.user.id, 'project.read', 'Task');
    const { entries, pagination } = await listActivity(sql, { projectId, taskId: id }, c.req.valid('query'));
    return c.json({ success: true as const, data: entries, pagination }, 200);
  });

  return router;
}
