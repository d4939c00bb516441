// Membership lookups used by every project-scoped check (REST routes and WebSocket connections).
import type { Action, Role } from '../../../shared/roles.ts';
import { can } from '../../../shared/roles.ts';
import { isUuid } from '../auth/authenticate.ts';
import type postgres from 'postgres';
import type { Sql } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';

/**
 * The user's role in a live (not deleted) project as a scalar subquery: NULL when not a member or no such
 * project. For queries that check membership in the same round trip as their own work (the task list).
 * Both ids must be UUIDs (callers check with isUuid first), or fragments naming uuid columns (a batch).
 */
export function projectRoleSql(sql: Sql, projectId: string | postgres.Fragment, userId: string | postgres.Fragment) {
  return sql`(SELECT pm.role FROM project_members pm
    JOIN projects p ON p.id = pm.project_id
    WHERE pm.project_id = ${projectId} AND pm.user_id = ${userId} AND p.deleted_at IS NULL)`;
}

/** The user's role in a live (not deleted) project, or null if not a member or no such project. */
export async function getProjectRole(sql: Sql, projectId: string, userId: string): Promise<Role | null> {
  if (!isUuid(projectId) || !isUuid(userId)) return null;
  const rows = await sql<{ role: Role | null }[]>`SELECT ${projectRoleSql(sql, projectId, userId)} AS role`;
  return rows[0]?.role ?? null;
}

/**
 * Resolves the caller's role and checks `action`. A non-member (or a missing project) gets 404, never a hint
 * that the project exists; a member without the permission gets 403.
 */
export async function requireProjectRole(sql: Sql, projectId: string, userId: string, action: Action): Promise<Role> {
  return assertProjectRole(await getProjectRole(sql, projectId, userId), action);
}

/** requireProjectRole's check, for a role read by the caller's own query (see projectRoleSql). */
export function assertProjectRole(role: Role | null, action: Action): Role {
  if (!role) throw new ApiError('NOT_FOUND', 'Project not found');
  if (!can(role, action)) throw new ApiError('FORBIDDEN', `Your role (${role}) does not allow this`);
  return role;
}
