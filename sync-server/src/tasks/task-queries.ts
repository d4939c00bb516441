// Reads of the tasks projection (tag_ids lists live tags only: a deleted tag disappears from its tasks) (written by the sync server in the same commit as the document's update log).
// The list query is shaped so each filter/sort has an index behind it (migrations 0001, 0002, 0004); its total comes
// from task_counts (0004) when the filters allow.
import type { Sql } from '../db/database.ts';
import { isUuid } from '../auth/authenticate.ts';
import { TASK_STATUSES, type Pagination, type TaskStatus } from '../../../shared/api.ts';
import type { Role } from '../../../shared/roles.ts';
import { PRIORITY_ORDER, type TaskDto, type TaskListQuery } from '../../../shared/schemas/tasks.ts';
import { paginate } from '../http/respond.ts';
import { projectRoleSql } from '../projects/membership.ts';

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

/** Position of a status in board column order: the value STATUS_RANK computes for it. */
const STATUS_POSITION = Object.fromEntries(TASK_STATUSES.map((s, i) => [s, i])) as Record<TaskStatus, number>;

/**
 * `expr` (STATUS_RANK or PRIORITY_RANK) in `values`, written so a btree on the expression can seek to it and
 * still return rows in index order: adjacent positions (HIGH,URGENT) as a range, since PostgreSQL 15 reads an
 * IN list on a non-leading index column unordered and then sorts every match. Gaps (TODO,IN_REVIEW) stay an
 * IN list. The values are positions from our own tables, never request text.
 */
function rankIn(sql: Sql, expr: string, values: number[]): Fragment {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const first = sorted[0]!;
  const last = sorted.at(-1)!;
  const text =
    first === last ? `${expr} = ${first}`
    : last - first === sorted.length - 1 ? `${expr} BETWEEN ${first} AND ${last}`
    : `${expr} IN (${sorted.join(', ')})`;
  return sql`${sql.unsafe(text)}`;
}

/**
 * One page of a project's tasks with its exact total, as `readerId` may see them. `role` is the reader's role
 * in the live project, or null when they are not a member (or there is no such project): then nothing else
 * is read. Membership and total come from one query; the page from another, side by side (after it, for a
 * search: see below).
 */
export async function listTasks(
  sql: Sql,
  projectId: string,
  readerId: string,
  q: TaskListQuery,
): Promise<{ role: Role | null; tasks: TaskDto[]; pagination: Pagination }> {
  const none = { role: null, tasks: [], pagination: paginate(q.page, q.per_page, 0) };
  if (!isUuid(projectId) || !isUuid(readerId)) return none;
  const where: Fragment[] = [sql`t.project_id = ${projectId}`];
  if (q.include_deleted === 'only') where.push(sql`t.deleted_at IS NOT NULL`);
  else if (q.include_deleted !== true) where.push(sql`t.deleted_at IS NULL`);
  // status and priority through the board / urgency expressions, which are what the indexes hold (0002, 0004).
  if (q.status) where.push(rankIn(sql, STATUS_RANK, q.status.map((s) => STATUS_POSITION[s])));
  if (q.priority) where.push(rankIn(sql, PRIORITY_RANK, q.priority.map((p) => PRIORITY_ORDER[p])));
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
  const role: Fragment = sql`${projectRoleSql(sql, projectId, readerId)}`;
  const offset = (q.page - 1) * q.per_page;

  if (q.search) {
    // PostgreSQL cannot estimate prefix searches, so it cannot choose the page's plan well: walking the board
    // index and testing each row costs 1 ms for a common word and 0.6 s on 100,000 tasks for a word no task
    // contains. So the exact total comes first (from the GIN index) and decides. Walking tests about
    // (offset + per_page) * scope / total rows, scope being the tasks the other filters leave (task_counts:
    // an upper bound when tag, date or reporter filters narrow it further, as those run before the search
    // test); a tested row costs ~5x a match read from the index (8 us vs 1.7 us here). So: walk while it
    // tests fewer than a fifth as many rows as there are matches, otherwise sort the matches themselves.
    const [head] = await sql<{ role: Role | null; total: string | null; scope: string | null }[]>`
      WITH r AS MATERIALIZED (SELECT ${role} AS role)
      SELECT r.role,
        CASE WHEN r.role IS NOT NULL THEN (SELECT count(*) FROM tasks t WHERE ${condition}) END AS total,
        CASE WHEN r.role IS NOT NULL THEN ${countedTotal(sql, projectId, q)} END AS scope
      FROM r`;
    if (!head?.role) return none;
    const total = Number(head.total ?? 0);
    if (offset >= total) return { role: head.role, tasks: [], pagination: paginate(q.page, q.per_page, total) };
    const walked = ((offset + q.per_page) * Number(head.scope ?? 0)) / total;
    const rows = await pageRows(sql, walked * 5 <= total ? 'index' : 'matches', role, condition, q, offset);
    return { role: head.role, tasks: rows.map(toTaskDto), pagination: paginate(q.page, q.per_page, total) };
  }

  const [[head], rows] = await Promise.all([
    // The total's subquery sits in a CASE branch, so PostgreSQL evaluates it only for a member.
    sql<{ role: Role | null; total: string | null }[]>`
      WITH r AS MATERIALIZED (SELECT ${role} AS role)
      SELECT r.role, CASE WHEN r.role IS NOT NULL THEN ${totalOf(sql, projectId, q, condition)} END AS total FROM r`,
    pageRows(sql, 'index', role, condition, q, offset),
  ]);
  if (!head?.role) return none;
  return { role: head.role, tasks: rows.map(toTaskDto), pagination: paginate(q.page, q.per_page, Number(head.total ?? 0)) };
}

/**
 * One page of rows. 'index': as the planner sees fit (an index in the sort's order, stopping when the page
 * is full). 'matches': every matching row first (a materialized CTE, so the filter's own index is used),
 * then sorted. The page's ids come first and rows are built for those only: PostgreSQL computes the select
 * list (with its tag subquery) for every row an OFFSET skips, which made deep pages cost seconds. The
 * membership test is a one-time filter: for a non-member the scan never starts.
 */
function pageRows(sql: Sql, from: 'index' | 'matches', role: Fragment, condition: Fragment, q: TaskListQuery, offset: number) {
  const ids =
    from === 'index'
      ? sql`SELECT t.id FROM tasks t WHERE ${role} IS NOT NULL AND ${condition}
            ORDER BY ${orderBy(sql, q.sort)} LIMIT ${q.per_page} OFFSET ${offset}`
      : sql`WITH matched AS MATERIALIZED (
              SELECT t.id, t.status, t.priority, t.rank, t.created_at, t.updated_at, t.due_date
              FROM tasks t WHERE ${role} IS NOT NULL AND ${condition})
            SELECT t.id FROM matched t ORDER BY ${orderBy(sql, q.sort)} LIMIT ${q.per_page} OFFSET ${offset}`;
  return sql<TaskRow[]>`
    SELECT ${taskColumns(sql)} FROM (${ids}) page JOIN tasks t ON t.id = page.id ORDER BY ${orderBy(sql, q.sort)}`;
}

/**
 * The exact number of tasks matching the list's filters, as a scalar subquery. Filters on deletion, status,
 * priority and assignee only are summed from task_counts (0004: kept exact by triggers on tasks, at most a
 * few hundred rows per project) instead of visiting one index entry per task; any other filter counts rows.
 */
function totalOf(sql: Sql, projectId: string, q: TaskListQuery, condition: Fragment): Fragment {
  if (q.tag || q.search || q.due_before || q.due_after || q.reporter_id) {
    return sql`(SELECT count(*) FROM tasks t WHERE ${condition})`;
  }
  return countedTotal(sql, projectId, q);
}

/** The task_counts sum for filters on deletion, status, priority and assignee only. */
function countedTotal(sql: Sql, projectId: string, q: Pick<TaskListQuery, 'include_deleted' | 'status' | 'priority' | 'assignee_id'>): Fragment {
  const where: Fragment[] = [sql`c.project_id = ${projectId}`];
  if (q.include_deleted === 'only') where.push(sql`c.deleted`);
  else if (q.include_deleted !== true) where.push(sql`NOT c.deleted`);
  if (q.status) where.push(sql`c.status IN ${sql(q.status)}`);
  if (q.priority) where.push(sql`c.priority IN ${sql(q.priority)}`);
  if (q.assignee_id === 'none') where.push(sql`c.assignee_id IS NULL`);
  else if (q.assignee_id) where.push(sql`c.assignee_id = ${q.assignee_id}`);
  return sql`(SELECT COALESCE(sum(c.n), 0) FROM task_counts c WHERE ${where.reduce((acc, part) => sql`${acc} AND ${part}`)})`;
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
