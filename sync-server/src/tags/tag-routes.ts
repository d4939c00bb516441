// /api/projects/{id}/tags and /api/tags/{id}. Tags are project vocabulary, set on tasks through
// PATCH /api/tasks/{id} {tag_ids}. Names are unique among a project's live tags, case-insensitively.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createTag, deleteTag, recolorTag, renameTag } from '../../../shared/doc-model.ts';
import { TagCreateSchema, TagPatchSchema, TagSchema, type TagDto } from '../../../shared/schemas/tasks.ts';
import type { Sql } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { newRouter } from '../http/router.ts';
import { requireProjectRole } from '../projects/membership.ts';
import { bearer, envelope, errors, json, ProjectIdParams } from '../projects/route-schemas.ts';
import { boardAuth, boardCreate, requireEntityAccess, writeDoc } from '../tasks/board-access.ts';

const tags = ['Tags'];
const IdParams = ProjectIdParams;
const jsonBody = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const one = (description: string) => json(envelope(TagSchema), description);

const listRoute = createRoute({
  method: 'get',
  path: '/projects/{id}/tags',
  tags,
  summary: "A project's tags, by name",
  security: bearer,
  request: { params: IdParams },
  responses: { 200: json(envelope(z.array(TagSchema)), 'The tags'), 401: errors[401], 404: errors[404] },
});

const createTagRoute = createRoute({
  method: 'post',
  path: '/projects/{id}/tags',
  tags,
  summary: 'Create a tag (Idempotency-Key supported)',
  security: bearer,
  request: { params: IdParams, body: jsonBody(TagCreateSchema) },
  responses: { 201: one('The new tag'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/tags/{id}',
  tags,
  summary: 'Rename or recolor a tag',
  security: bearer,
  request: { params: IdParams, body: jsonBody(TagPatchSchema) },
  responses: { 200: one('The tag after the change'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/tags/{id}',
  tags,
  summary: 'Delete a tag (it disappears from every task)',
  security: bearer,
  request: { params: IdParams },
  responses: { 200: json(envelope(z.object({ id: z.string() })), 'Deleted'), 401: errors[401], 403: errors[403], 404: errors[404] },
});

interface TagRow {
  id: string;
  project_id: string;
  name: string;
  color: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}
const toDto = (r: TagRow): TagDto => ({
  id: r.id,
  project_id: r.project_id,
  name: r.name,
  color: r.color,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

async function liveTag(sql: Sql, id: string): Promise<TagDto> {
  const [row] = await sql<TagRow[]>`SELECT * FROM tags WHERE id = ${id}`;
  if (!row || row.deleted_at) throw new ApiError('NOT_FOUND', 'Tag not found');
  return toDto(row);
}

async function requireNameFree(sql: Sql, projectId: string, name: string, exceptId: string | null) {
  const [taken] = await sql<{ name: string }[]>`
    SELECT name FROM tags WHERE project_id = ${projectId} AND deleted_at IS NULL AND lower(name) = lower(${name})
      AND (${exceptId}::uuid IS NULL OR id <> ${exceptId}::uuid)`;
  if (taken) throw new ApiError('CONFLICT', `A tag named "${taken.name}" already exists in this project`);
}

/** Mounted at /api. */
export function tagRoutes(deps: AppDeps) {
  const { sql } = deps;
  const router = newRouter();
  const auth = boardAuth(deps);
  const okTag = (c: Context<AppEnv>, tag: TagDto) => c.json({ success: true as const, data: tag }, 200);

  router.openapi({ ...listRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    await requireProjectRole(sql, id, c.var.user.id, 'project.read');
    const rows = await sql<TagRow[]>`
      SELECT * FROM tags WHERE project_id = ${id} AND deleted_at IS NULL ORDER BY lower(name), id`;
    return c.json({ success: true as const, data: rows.map(toDto) }, 200);
  });

  router.openapi({ ...createTagRoute, middleware: boardCreate(deps) }, async (c) => {
    const { id: projectId } = c.req.valid('param');
    const userId = c.var.user.id;
    await requireProjectRole(sql, projectId, userId, 'board.write');
    const body = c.req.valid('json');
    await requireNameFree(sql, projectId, body.name, null);
    if (body.id && (await sql`SELECT 1 FROM tags WHERE id = ${body.id}`).length > 0) {
      throw new ApiError('CONFLICT', 'A tag with this id already exists');
    }
    const tagId = await writeDoc(deps, projectId, userId, (doc) => createTag(doc, body, { userId }));
    return c.json({ success: true as const, data: await liveTag(sql, tagId) }, 201);
  });

  router.openapi({ ...patchRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    const userId = c.var.user.id;
    const { projectId } = await requireEntityAccess(sql, 'tags', id, userId, 'board.write', 'Tag');
    await liveTag(sql, id);
    const { name, color } = c.req.valid('json');
    if (name !== undefined) await requireNameFree(sql, projectId, name, id);
    await writeDoc(deps, projectId, userId, (doc) => {
      if (name !== undefined) renameTag(doc, id, name, { userId });
      if (color !== undefined) recolorTag(doc, id, color, { userId });
    });
    return okTag(c, await liveTag(sql, id));
  });

  router.openapi({ ...deleteRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    const userId = c.var.user.id;
    const { projectId } = await requireEntityAccess(sql, 'tags', id, userId, 'board.write', 'Tag');
    await liveTag(sql, id);
    await writeDoc(deps, projectId, userId, (doc) => deleteTag(doc, id, { userId }));
    return c.json({ success: true as const, data: { id } }, 200);
  });

  return router;
}
