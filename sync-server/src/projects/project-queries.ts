// SQL for projects: list, read, create (idempotent by client-chosen id), update, soft delete.
// Callers check permissions first (membership.ts); these functions trust their arguments.
import { randomUUID } from 'node:crypto';
import { PROJECT_STATUSES, TASK_STATUSES, type ProjectStatus, type TaskStatus } from '../../../shared/api.ts';
import type { Role } from '../../../shared/roles.ts';
import type { Member, Project, ProjectDetail, ProjectSortKey } from '../../../shared/schemas/projects.ts';
import type { Sql } from '../db/database.ts';

interface ProjectRow {
  id: string;
  name: string;
  description: string;
  status: ProjectStatus;
  color: string | null;
  start_date: string | null;
  end_date: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  my_role: Role;
}

/** Dates come back as text so a date column never shifts by a time zone on its way to JSON. */
const PROJECT_COLUMNS = 'p.id, p.name, p.description, p.status, p.color, p.start_date::text AS start_date, p.end_date::text AS end_date, p.created_by, p.created_at, p.updated_at';

function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    color: row.color,
    start_date: row.start_date,
    end_date: row.end_date,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    my_role: row.my_role,
  };
}

/** LIKE treats % and _ as wildcards and \ as its default escape: escape all three so a search matches literally. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

export interface ListOptions {
  page: number;
  perPage: number;
  statuses?: ProjectStatus[];
  search?: string;
  sort: ProjectSortKey;
  descending: boolean;
}

export async function listProjects(sql: Sql, userId: string, opts: ListOptions): Promise<{ items: Project[]; total: number }> {
  // A fresh fragment per query: postgres.js fragments are built once per use.
  const where = () => sql`
    pm.user_id = ${userId} AND p.deleted_at IS NULL
    ${opts.statuses?.length ? sql`AND p.status IN ${sql(opts.statuses)}` : sql``}
    ${opts.search ? sql`AND (p.name ILIKE ${likeContains(opts.search)} OR p.description ILIKE ${likeContains(opts.search)})` : sql``}`;
  // The sort column comes from a closed list (validated at the edge); id breaks ties so pages never overlap.
  // Status sorts in lifecycle order (PLANNING first, ARCHIVED last), not alphabetically.
  const column =
    opts.sort === 'name'
      ? sql`lower(p.name)`
      : opts.sort === 'status'
        ? sql`array_position(${sql.array([...PROJECT_STATUSES])}::text[], p.status)`
        : sql`p.${sql(opts.sort)}`;
  const direction = opts.descending ? sql`DESC` : sql`ASC`;
  const [count] = await sql<{ total: number }[]>`
    SELECT count(*)::int AS total FROM projects p JOIN project_members pm ON pm.project_id = p.id WHERE ${where()}`;
  const rows = await sql<ProjectRow[]>`
    SELECT ${sql.unsafe(PROJECT_COLUMNS)}, pm.role AS my_role
    FROM projects p JOIN project_members pm ON pm.project_id = p.id
    WHERE ${where()}
    ORDER BY ${column} ${direction}, p.id ${direction}
    LIMIT ${opts.perPage} OFFSET ${(opts.page - 1) * opts.perPage}`;
  return { items: rows.map(toProject), total: count?.total ?? 0 };
}

/** The project as the given member sees it; null when it is deleted or they are not a member. */
export async function getProject(sql: Sql, projectId: string, userId: string): Promise<Project | null> {
  const rows = await sql<ProjectRow[]>`
    SELECT ${sql.unsafe(PROJECT_COLUMNS)}, pm.role AS my_role
    FROM projects p JOIN project_members pm ON pm.project_id = p.id AND pm.user_id = ${userId}
    WHERE p.id = ${projectId} AND p.deleted_at IS NULL`;
  return rows[0] ? toProject(rows[0]) : null;
}

export async function listMembers(sql: Sql, projectId: string): Promise<Member[]> {
  const rows = await sql<{ user_id: string; email: string; full_name: string; role: Role; joined_at: Date }[]>`
    SELECT pm.user_id, u.email, u.full_name, pm.role, pm.created_at AS joined_at
    FROM project_members pm JOIN users u ON u.id = pm.user_id
    WHERE pm.project_id = ${projectId}
    ORDER BY pm.created_at, pm.user_id`;
  return rows.map((r) => ({ ...r, joined_at: r.joined_at.toISOString() }));
}

/**
 * Live tasks by status; every status is present (0 when none). Summed from task_counts (migration 0004: kept
 * exact by triggers in the same transaction as every change of tasks), a few rows per project, where counting
 * the tasks rows read one index entry per task (52 ms for a project of 100,000 here, against 0.4 ms).
 */
export async function taskCounts(sql: Sql, projectId: string): Promise<Record<TaskStatus, number>> {
  const rows = await sql<{ status: TaskStatus; n: number }[]>`
    SELECT status, sum(n)::int AS n FROM task_counts
    WHERE project_id = ${projectId} AND NOT deleted GROUP BY status`;
  const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

export async function getProjectDetail(sql: Sql, projectId: string, userId: string): Promise<ProjectDetail | null> {
  const project = await getProject(sql, projectId, userId);
  if (!project) return null;
  const [members, task_counts] = await Promise.all([listMembers(sql, projectId), taskCounts(sql, projectId)]);
  return { ...project, members, task_counts };
}

export interface NewProject {
  id?: string;
  name: string;
  description?: string;
  status?: ProjectStatus;
  color?: string | null;
  start_date?: string | null;
  end_date?: string | null;
}

export type CreateResult =
  | { kind: 'created'; project: Project }
  | { kind: 'existing'; project: Project }
  /** The id is taken by someone else's project (live or deleted), or by one of ours that is gone. */
  | { kind: 'conflict' };

/**
 * Creates the project and makes its creator ADMIN in one transaction. A retried create with the same id from
 * the same user (an offline client registering its project again) returns the existing project unchanged.
 */
export async function createProject(sql: Sql, userId: string, input: NewProject): Promise<CreateResult> {
  const id = input.id ?? randomUUID();
  const inserted = await sql.begin(async (tx) => {
    // ON CONFLICT waits for a concurrent insert of the same id to finish, so two retries racing never both create.
    const rows = await tx<{ id: string }[]>`
      INSERT INTO projects (id, name, description, status, color, start_date, end_date, created_by)
      VALUES (${id}, ${input.name}, ${input.description ?? ''}, ${input.status ?? 'ACTIVE'}, ${input.color ?? null},
              ${input.start_date ?? null}, ${input.end_date ?? null}, ${userId})
      ON CONFLICT (id) DO NOTHING RETURNING id`;
    if (rows.length === 0) return false;
    await tx`INSERT INTO project_members (project_id, user_id, role, added_by) VALUES (${id}, ${userId}, 'ADMIN', ${userId})`;
    return true;
  });
  if (inserted) {
    const project = await getProject(sql, id, userId);
    if (!project) throw new Error(`project ${id} vanished right after creation`);
    return { kind: 'created', project };
  }
  const [owner] = await sql<{ created_by: string }[]>`SELECT created_by FROM projects WHERE id = ${id}`;
  if (owner?.created_by !== userId) return { kind: 'conflict' };
  const project = await getProject(sql, id, userId);
  return project ? { kind: 'existing', project } : { kind: 'conflict' };
}

export interface ProjectChanges {
  name?: string;
  description?: string;
  status?: ProjectStatus;
  color?: string | null;
  start_date?: string | null;
  end_date?: string | null;
}

export type UpdateResult = { kind: 'updated'; project: Project } | { kind: 'not-found' } | { kind: 'bad-dates' };

/** Applies the fields present in `changes`; the date order is checked against the merged row under a lock. */
export async function updateProject(sql: Sql, projectId: string, userId: string, changes: ProjectChanges): Promise<UpdateResult> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined) as [keyof ProjectChanges, unknown][];
  const result = await sql.begin(async (tx): Promise<UpdateResult['kind']> => {
    const [current] = await tx<{ start_date: string | null; end_date: string | null }[]>`
      SELECT start_date::text AS start_date, end_date::text AS end_date FROM projects
      WHERE id = ${projectId} AND deleted_at IS NULL FOR UPDATE`;
    if (!current) return 'not-found';
    if (entries.length === 0) return 'updated';
    const start = changes.start_date !== undefined ? changes.start_date : current.start_date;
    const end = changes.end_date !== undefined ? changes.end_date : current.end_date;
    if (start && end && start > end) return 'bad-dates';
    const values = Object.fromEntries(entries);
    await tx`UPDATE projects SET ${tx(values, ...entries.map(([k]) => k))}, updated_at = now() WHERE id = ${projectId}`;
    return 'updated';
  });
  if (result !== 'updated') return { kind: result };
  const project = await getProject(sql, projectId, userId);
  return project ? { kind: 'updated', project } : { kind: 'not-found' };
}

/** Soft delete; true when this call deleted it (false if it was already gone). */
export async function softDeleteProject(sql: Sql, projectId: string): Promise<boolean> {
  const rows = await sql`UPDATE projects SET deleted_at = now(), updated_at = now() WHERE id = ${projectId} AND deleted_at IS NULL RETURNING id`;
  return rows.length > 0;
}
