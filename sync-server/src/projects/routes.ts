// /api/projects: list, create (idempotent by client id), read, update (PATCH, and PUT for older clients),
// soft delete. Member routes live in member-routes.ts and are mounted here.
import { createRoute, z } from '@hono/zod-openapi';
import {
  CreateProjectSchema,
  ListProjectsQuerySchema,
  ProjectDetailSchema,
  ProjectSchema,
  UpdateProjectSchema,
  type ProjectSortKey,
} from '../../../shared/schemas/projects.ts';
import { requireAuth, requireToken } from '../auth/middleware.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppDeps } from '../http/context.ts';
import { ok, paginate } from '../http/respond.ts';
import { newRouter } from '../http/router.ts';
import { requireProjectRole } from './membership.ts';
import { memberRoutes } from './member-routes.ts';
import { createProject, getProjectDetail, listProjects, softDeleteProject, updateProject } from './project-queries.ts';
import { bearer, envelope, errors, json, ProjectIdParams } from './route-schemas.ts';

const tags = ['Projects'];

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'List the projects I belong to',
  security: bearer,
  request: { query: ListProjectsQuerySchema },
  responses: {
    200: json(envelope(z.array(ProjectSchema), { paginated: true }), 'One page of projects, each with my_role'),
    400: errors[400],
    401: errors[401],
  },
});

const createProjectRoute = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Create a project (the creator becomes ADMIN)',
  description:
    'An optional client-chosen UUID `id` lets a project created offline register later: sending the same id again ' +
    'from the same user returns the existing project with 200; an id taken by anyone else (even a deleted project) is 409.',
  security: bearer,
  request: { body: { required: true, content: { 'application/json': { schema: CreateProjectSchema } } } },
  responses: {
    201: json(envelope(ProjectSchema), 'Created'),
    200: json(envelope(ProjectSchema), 'Already created by you with this id (idempotent retry)'),
    400: errors[400],
    401: errors[401],
    409: errors[409],
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'A project with its members, my role and task counts by status',
  security: bearer,
  request: { params: ProjectIdParams },
  responses: { 200: json(envelope(ProjectDetailSchema), 'The project'), 401: errors[401], 404: errors[404] },
});

const updateRouteConfig = (method: 'patch' | 'put') =>
  createRoute({
    method,
    path: '/{id}',
    tags,
    summary: method === 'patch' ? 'Update project settings (MANAGER, ADMIN)' : 'Same as PATCH (kept for older clients)',
    description: 'Only the fields sent change; null clears color or a date. start_date must not be after end_date.',
    security: bearer,
    request: { params: ProjectIdParams, body: { required: true, content: { 'application/json': { schema: UpdateProjectSchema } } } },
    responses: {
      200: json(envelope(ProjectSchema), 'The updated project'),
      400: errors[400],
      401: errors[401],
      403: errors[403],
      404: errors[404],
    },
  });

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Soft-delete a project (ADMIN)',
  security: bearer,
  request: { params: ProjectIdParams },
  responses: {
    200: json(envelope(z.object({ id: z.uuid() })), 'Deleted; open connections to it are closed'),
    401: errors[401],
    403: errors[403],
    404: errors[404],
  },
});

const TASK_LIST_PATH = /^\/api\/projects\/[^/]+\/tasks$/;

export function projectRoutes(deps: AppDeps) {
  const { sql } = deps;
  const router = newRouter();
  const auth = requireAuth(deps);
  const token = requireToken(deps);
  // GET /api/projects/{id}/tasks (tasks/task-routes.ts) reads the session with its page, in one statement.
  router.use('*', (c, next) => (c.req.method === 'GET' && TASK_LIST_PATH.test(c.req.path) ? token(c, next) : auth(c, next)));

  router.openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const descending = q.sort.startsWith('-');
    const sort = (descending ? q.sort.slice(1) : q.sort) as ProjectSortKey;
    const { items, total } = await listProjects(sql, c.var.user.id, {
      page: q.page,
      perPage: q.per_page,
      statuses: q.status,
      search: q.search || undefined,
      sort,
      descending,
    });
    return ok(c, items, { pagination: paginate(q.page, q.per_page, total) });
  });

  router.openapi(createProjectRoute, async (c) => {
    const result = await createProject(sql, c.var.user.id, c.req.valid('json'));
    if (result.kind === 'conflict') {
      throw new ApiError('CONFLICT', 'A project with this id already exists; create it without an id, or with a new UUID');
    }
    if (result.kind === 'existing') return ok(c, result.project, { message: 'Project already exists (created earlier with this id)' });
    return ok(c, result.project, { status: 201 });
  });

  router.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    await requireProjectRole(sql, id, c.var.user.id, 'project.read');
    const detail = await getProjectDetail(sql, id, c.var.user.id);
    if (!detail) throw new ApiError('NOT_FOUND', 'Project not found');
    return ok(c, detail);
  });

  for (const method of ['patch', 'put'] as const) {
    router.openapi(updateRouteConfig(method), async (c) => {
      const { id } = c.req.valid('param');
      await requireProjectRole(sql, id, c.var.user.id, 'project.update');
      const result = await updateProject(sql, id, c.var.user.id, c.req.valid('json'));
      if (result.kind === 'not-found') throw new ApiError('NOT_FOUND', 'Project not found');
      if (result.kind === 'bad-dates') {
        throw new ApiError('VALIDATION_ERROR', 'Invalid request body: end_date must not be before start_date', [
          { field: 'end_date', message: 'end_date must not be before start_date', code: 'custom' },
        ]);
      }
      return ok(c, result.project);
    });
  }

  router.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param');
    await requireProjectRole(sql, id, c.var.user.id, 'project.delete');
    if (!(await softDeleteProject(sql, id))) throw new ApiError('NOT_FOUND', 'Project not found');
    deps.events.emit('project-deleted', { projectId: id });
    return ok(c, { id }, { message: 'Project deleted' });
  });

  router.route('/', memberRoutes(deps));
  return router;
}
