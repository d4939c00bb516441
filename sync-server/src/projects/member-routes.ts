// /api/projects/{id}/members: list (any member), add, re-role, remove or leave. Who may change whom comes from
// shared/roles.ts (canChangeMember); the last-ADMIN rule and the locking live in members.ts.
// 'membership-changed' is emitted only after the transaction commits, so listeners never see a rolled-back change.
import { createRoute, z } from '@hono/zod-openapi';
import { AddMemberSchema, MemberSchema, UpdateMemberSchema } from '../../../shared/schemas/projects.ts';
import type { AppDeps } from '../http/context.ts';
import { ok } from '../http/respond.ts';
import { newRouter } from '../http/router.ts';
import { requireProjectRole } from './membership.ts';
import { addMember, changeMemberRole, removeMember } from './members.ts';
import { listMembers } from './project-queries.ts';
import { bearer, envelope, errors, json, MemberParams, ProjectIdParams } from './route-schemas.ts';

const tags = ['Members'];

const listRoute = createRoute({
  method: 'get',
  path: '/{id}/members',
  tags,
  summary: 'Members of a project (any member)',
  security: bearer,
  request: { params: ProjectIdParams },
  responses: { 200: json(envelope(z.array(MemberSchema)), 'The members'), 401: errors[401], 404: errors[404] },
});

const addRoute = createRoute({
  method: 'post',
  path: '/{id}/members',
  tags,
  summary: 'Add a registered user by email or user_id (MANAGER adds MEMBER/VIEWER; ADMIN any role)',
  security: bearer,
  request: { params: ProjectIdParams, body: { required: true, content: { 'application/json': { schema: AddMemberSchema } } } },
  responses: {
    201: json(envelope(MemberSchema), 'Added'),
    400: errors[400],
    401: errors[401],
    403: errors[403],
    404: json(errors[404].content['application/json'].schema, 'No such project, or no registered user with that email/id'),
    409: errors[409],
  },
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/{id}/members/{userId}',
  tags,
  summary: "Change a member's role (the last ADMIN cannot be demoted)",
  security: bearer,
  request: { params: MemberParams, body: { required: true, content: { 'application/json': { schema: UpdateMemberSchema } } } },
  responses: {
    200: json(envelope(MemberSchema), 'The member with their new role'),
    400: errors[400],
    401: errors[401],
    403: errors[403],
    404: errors[404],
    409: json(errors[409].content['application/json'].schema, 'The last ADMIN cannot be demoted'),
  },
});

const removeRoute = createRoute({
  method: 'delete',
  path: '/{id}/members/{userId}',
  tags,
  summary: 'Remove a member, or leave (your own userId; the last ADMIN cannot leave)',
  security: bearer,
  request: { params: MemberParams },
  responses: {
    200: json(envelope(z.object({ user_id: z.string() })), 'Removed'),
    401: errors[401],
    403: errors[403],
    404: errors[404],
    409: json(errors[409].content['application/json'].schema, 'The last ADMIN cannot leave or be removed'),
  },
});

/** Mounted under /api/projects, behind its requireAuth. */
export function memberRoutes(deps: AppDeps) {
  const { sql, events } = deps;
  const router = newRouter();

  router.openapi(listRoute, async (c) => {
    const { id } = c.req.valid('param');
    await requireProjectRole(sql, id, c.var.user.id, 'project.read');
    return ok(c, await listMembers(sql, id));
  });

  router.openapi(addRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const target = body.email !== undefined ? { email: body.email } : { user_id: body.user_id ?? '' };
    const member = await addMember(sql, id, c.var.user.id, target, body.role);
    events.emit('membership-changed', { projectId: id, userId: member.user_id, role: member.role });
    return ok(c, member, { status: 201 });
  });

  router.openapi(updateRoute, async (c) => {
    const { id, userId } = c.req.valid('param');
    const { member, changed } = await changeMemberRole(sql, id, c.var.user.id, userId, c.req.valid('json').role);
    if (changed) events.emit('membership-changed', { projectId: id, userId, role: member.role });
    return ok(c, member);
  });

  router.openapi(removeRoute, async (c) => {
    const { id, userId } = c.req.valid('param');
    await removeMember(sql, id, c.var.user.id, userId);
    events.emit('membership-changed', { projectId: id, userId, role: null });
    return ok(c, { user_id: userId }, { message: userId === c.var.user.id ? 'You left the project' : 'Member removed' });
  });

  return router;
}
