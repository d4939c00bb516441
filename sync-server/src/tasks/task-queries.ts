// Reads of the tasks projection (tag_ids lists live tags only: a deleted tag disappears from its tasks) (written by the sync server in the same commit as the document's update log).
// The list query is shaped so each filter/sort has an index behind it (migrations 0001 and 0002).
import type { Sql } from '../db/database.ts';
import { isUuid } from '../auth/authenticate.ts';
import type { TaskDto, TaskListQuery } from '../../../shared/schemas/tasks.ts';
import type { Pagination } from '../../../shared/api.ts';
import { paginate } from '../http/respond.ts';

type Fragment = ReturnType<Sql>;

/** Same expression as tasks_search_idx, so PostgreSQL uses that GIN index. */
const SEARCH_VECTOR = "to_tsvector('simple', t.title || ' ' || t.description)";
/** Same expression as tasks_project_priority_rank_idx (0002): urgency order, not alphabetical. */
const PRIORITY_RANK = "(CASE t.priority WHEN 'LOW' THEN 0 WHEN 'MEDIUM' THEN 1 WHEN 'HIGH' THEN 2 ELSE 3 END)";
/** Same expression as tasks_project_board_idx (0002): column order of the board. */
const STATUS_RANK =
  "(CASE t.status WHEN 'TODO' THEN 0 WHEN 'IN_PROGRESS' THEN 1 WHEN 'IN_REVIEW' THEN 2 WHEN 'DONE' THEN 3 ELSE 4 END)";
/** Words shorter than this are matched as substrings (ILIKE) rather than as word prefixes. */
const MIN_WORD = 3;

export function taskColumns(sql: Sql): Fragment {
  return sql`
    t.id, t.project_id, t.title, t.description, t.status, t.priority, t.assignee_id, t.reporter_id,
    to_char(t.due_date, 'YYYY-MM-DD') AS due_date, t.estimated_hours, t.actual_hours, t.rank, t.checklist,
    t.created_at, t.updated_at, t.completed_at, t.deleted_at,
    COALESCE((SELECT array_agg(tt.tag_id::text ORDER BY tt.tag_id) FROM task_tags tt
              JOIN tags g ON g.id = tt.tag_id AND g.deleted_at IS NULL
              WHERE tt.task_id = t.id), '{}') AS tag_ids`;
}

interface TaskRow {
  id: string;
  project_id: string;
  title: string;
  description: string;
  status: TaskDto['status'];
  priority: TaskDto['priority'];
  assignee_id: string | null;
  reporter_id: string | null;
  due_date: string | null;
  estimated_hours: number | null;
  actual_hours: number | null;
  rank: string;
  checklist: unknown;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  deleted_at: Date | null;
  tag_ids: string[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toTaskDto(row: TaskRow): TaskDto {
  const checklist = Array.isArray(row.checklist) ? row.checklist : [];
  return {
    id: row.id,
    project_id: row.project_id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    assignee_id: row.assignee_id,
    reporter_id: row.reporter_id,
    due_date: row.due_date,
    estimated_hours: row.estimated_hours,
    actual_hours: row.actual_hours,
    rank: row.rank,
    tag_ids: row.tag_ids,
    checklist: checklist.map((item: { id?: unknown; text?: unknown; done?: unknown }) => ({
      id: String(item.id ?? ''),
      text: String(item.text ?? ''),
      done: item.done === true,
    })),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    completed_at: iso(row.completed_at),
    deleted_at: iso(row.deleted_at),
  };
}

export async function getTask(sql: Sql, id: string): Promise<TaskDto | null> {
  if (!isUuid(id)) return null;
  const rows = await sql<TaskRow[]>`SELECT ${taskColumns(sql)} FROM tasks t WHERE t.id = ${id}`;
  return rows[0] ? toTaskDto(rows[0]) : null;
}

/** The project a task belongs to (deleted tasks included), for the membership check of /api/tasks/:id. */
export async function taskProjectId(sql: Sql, id: string): Promise<string | null> {
  if (!isUuid(id)) return null;
  const rows = await sql<{ project_id: string }[]>`SELECT project_id FROM tasks WHERE id = ${id}`;
  return rows[0]?.project_id ?? null;
}

/** Search words for the GIN index: letters and digits only, so no input can break to_tsquery. */
export function searchPlan(search: string): { prefixQuery: string | null; substrings: string[] } {
  const words = search.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const long = words.filter((w) => w.length >= MIN_WORD);
  const short = words.filter((w) => w.length < MIN_WORD);
  // Nothing word-like at all (e.g. "c++" or "#"): fall back to the raw text as one substring.
  if (words.length === 0) return { prefixQuery: null, substrings: [search] };
  return { prefixQuery: long.length ? long.map((w) => `${w}:*`).join(' & ') : null, substrings: short };
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export async function listTasks(sql: Sql, projectId: string, q: TaskListQuery): Promise<{ tasks: TaskDto[]; pagination: Pagination }> {
  const where: Fragment[] = [sql`t.project_id = ${projectId}`];
  if (q.include_deleted === 'only') where.push(sql`t.deleted_at IS NOT NULL`);
  else if (q.include_deleted !== true) where.push(sql`t.deleted_at IS NULL`);
  if (q.status) where.push(sql`t.status IN ${sql(q.status)}`);
  if (q.priority) where.push(sql`t.priority IN ${sql(q.priority)}`);
  if (q.assignee_id === 'none') where.push(sql`t.assignee_id IS NULL`);
  else if (q.assignee_id) where.push(sql`t.assignee_id = ${q.assignee_id}`);
  if (q.reporter_id) where.push(sql`t.reporter_id = ${q.reporter_id}`);
  if (q.due_before) where.push(sql`t.due_date <= ${q.due_before}::date`);
  if (q.due_after) where.push(sql`t.due_date >= ${q.due_after}::date`);
  if (q.tag) {
    const byTag = isUuid(q.tag)
      ? sql`tt.tag_id = ${q.tag}`
      : sql`tt.tag_id IN (SELECT g.id FROM tags g WHERE g.project_id = ${projectId} AND g.deleted_at IS NULL AND lower(g.name) = lower(${q.tag}))`;
    where.push(sql`EXISTS (SELECT 1 FROM task_tags tt WHERE tt.task_id = t.id AND ${byTag})`);
  }
  if (q.search) {
    const plan = searchPlan(q.search);
    if (plan.prefixQuery) where.push(sql`${sql.unsafe(SEARCH_VECTOR)} @@ to_tsquery('simple', ${plan.prefixQuery})`);
    for (const part of plan.substrings) {
      where.push(sql`(t.title || ' ' || t.description) ILIKE ${`%${likeEscape(part)}%`}`);
    }
  }
  const condition = where.reduce((acc, part) => sql`${acc} AND ${part}`);

  const [counted] = await sql<{ total: string }[]>`SELECT count(*) AS total FROM tasks t WHERE ${condition}`;
  const offset = (q.page - 1) * q.per_page;
  // Pick the page's ids first, then build rows for those only: PostgreSQL computes the select list (with
  // its tag subquery) for every row an OFFSET skips, which made deep pages cost seconds on 100k tasks.
  const rows = await sql<TaskRow[]>`
    SELECT ${taskColumns(sql)}
    FROM (SELECT t.id FROM tasks t WHERE ${condition} ORDER BY ${orderBy(sql, q.sort)} LIMIT ${q.per_page} OFFSET ${offset}) page
    JOIN tasks t ON t.id = page.id
    ORDER BY ${orderBy(sql, q.sort)}`;
  return { tasks: rows.map(toTaskDto), pagination: paginate(q.page, q.per_page, Number(counted?.total ?? 0)) };
}

function orderBy(sql: Sql, sort: string): Fragment {
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  const dir = sql.unsafe(desc ? 'DESC' : 'ASC');
  // Tasks without a due date come last either way: "what is due next" should not start with undated ones.
  switch (field) {
    case 'created_at': return sql`t.created_at ${dir}, t.id ${dir}`;
    case 'updated_at': return sql`t.updated_at ${dir}, t.id ${dir}`;
    case 'due_date': return sql`t.due_date ${dir} NULLS LAST, t.id ${dir}`;
    case 'priority': return sql`${sql.unsafe(PRIORITY_RANK)} ${dir}, t.id ${dir}`;
    default: return sql`${sql.unsafe(STATUS_RANK)} ${dir}, t.rank COLLATE "C" ${dir}, t.id ${dir}`;
  }
}
