// What every board route (tasks, comments, tags, attachments, activity) shares: who may touch which
// project, and writing to a project's document through the sync server's DocWriter.
import type * as Y from 'yjs';
import { createMiddleware } from 'hono/factory';
import { can, type Action, type Role } from '../../../shared/roles.ts';
import { DocModelError } from '../../../shared/doc-model.ts';
import { isUuid } from '../auth/authenticate.ts';
import { requireAuth } from '../auth/middleware.ts';
import type { Sql } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import type { DocWriter } from '../rooms/doc-writer.ts';
import { idempotency } from '../http/idempotency.ts';

function docWriter(deps: AppDeps): DocWriter {
  if (!deps.docs) throw new Error('AppDeps.docs (the sync server DocWriter) is missing: board writes need it');
  return deps.docs;
}

/**
 * Runs `fn` on the project's document as the caller and maps the document model's refusals to REST errors.
 * The doc-model writers validate everything before changing anything, so a refusal leaves the document as it was.
 */
export async function writeDoc<T>(
  deps: AppDeps,
  projectId: string,
  userId: string,
  fn: (doc: Y.Doc) => T,
  /** When the route already checked its own entity, a missing one named in the body (a neighbour, a parent) is bad input. */
  opts: { missingIs?: 'NOT_FOUND' | 'VALIDATION_ERROR' } = {},
): Promise<T> {
  try {
    return await docWriter(deps).transact(projectId, userId, fn);
  } catch (error) {
    if (error instanceof DocModelError) {
      if (error.code === 'NOT_FOUND') throw new ApiError(opts.missingIs ?? 'NOT_FOUND', capitalize(error.message));
      throw new ApiError('VALIDATION_ERROR', capitalize(error.message));
    }
    throw error;
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Auth for board routes. Skips the lookup when a router mounted on a parent path already authenticated. */
export function boardAuth(deps: AppDeps) {
  const auth = requireAuth(deps);
  return createMiddleware<AppEnv>(async (c, next) => (c.var.user ? next() : auth(c, next)));
}

/** Auth, then Idempotency-Key handling, for POST routes that create something. */
export function boardCreate(deps: AppDeps) {
  return [boardAuth(deps), idempotency(deps)];
}

/**
 * The project of a board entity (task, comment, tag, attachment), checked against the caller's role, in one
 * query (this sits on the path of every REST write, before the change is relayed to connected clients).
 * Unknown ids, malformed ids and projects the caller is not a member of all answer the same 404.
 */
export async function requireEntityAccess(
  sql: Sql,
  table: 'tasks' | 'comments' | 'tags' | 'attachments',
  id: string,
  userId: string,
  action: Action,
  what: string,
): Promise<{ projectId: string; role: Role; deleted: boolean }> {
  if (!isUuid(id)) throw new ApiError('NOT_FOUND', `${what} not found`);
  const [row] = await sql<{ project_id: string; deleted: boolean; role: Role | null }[]>`
    SELECT e.project_id, e.deleted_at IS NOT NULL AS deleted, pm.role
    FROM ${sql(table)} e
    JOIN projects p ON p.id = e.project_id AND p.deleted_at IS NULL
    LEFT JOIN project_members pm ON pm.project_id = e.project_id AND pm.user_id = ${userId}
    WHERE e.id = ${id}`;
  // Not a member: the entity does not exist for this caller, whatever the project's name would say.
  if (!row?.role) throw new ApiError('NOT_FOUND', `${what} not found`);
  if (!can(row.role, action)) throw new ApiError('FORBIDDEN', `Your role (${row.role}) does not allow this`);
  return { projectId: row.project_id, role: row.role, deleted: row.deleted };
}
