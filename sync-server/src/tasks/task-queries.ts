// Reads of the tasks projection (tag_ids lists live tags only: a deleted tag disappears from its tasks) (written by the sync server in the same commit as the document's update log).
// The list query is shaped so each filter/sort has an index behind it (migrations 0001, 0002, 0004); its total comes
// from task_counts (0004) when the filters allow, else it counts rows (remembered per task_list_versions, 0005).
import type { Sql } from '../db/database.ts';
import { isUuid, sessionLiveSql } from '../auth/authenticate.ts';
import type { TokenSession } from '../http/context.ts';
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

/** toISOString() of a timestamptz (milliseconds truncated, as a JavaScript Date holds them). */
const isoMs = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const isoMsOrNull = (col: string) => `COALESCE('"' || ${isoMs(col)} || '"', 'null')`;
const uuidOrNull = (col: string) => `COALESCE('"' || ${col} || '"', 'null')`;
/** A checklist item's field as toTaskDto reads it: String(item.field ?? ''). */
const itemText = (field: string) => `to_json(COALESCE(CASE WHEN jsonb_typeof(e.v->'${field}') = 'null' THEN NULL ELSE e.v->>'${field}' END, ''))`;

/**
 * `JSON.stringify(toTaskDto(row))` of the tasks row `t`, built by PostgreSQL as text: same keys in the same
 * order, same values (timestamps as toISOString(), live tag ids in id order, the checklist normalized the
 * same way), no whitespace. The list sends pages in this form, so the server neither decodes every column of
 * every row nor builds and serializes objects (a third of its CPU per list request in bench scenario 6).
 * One difference in form, not value: a float8 under 1e-4 (an estimate of 0.00005 hours) is written with an
 * exponent by PostgreSQL (5e-05) and without one by JavaScript (0.00005).
 */
const TASK_JSON = `'{"id":"' || t.id || '","project_id":"' || t.project_id
  || '","title":' || to_json(t.title) || ',"description":' || to_json(t.description)
  || ',"status":' || to_json(t.status) || ',"priority":' || to_json(t.priority)
  || ',"assignee_id":' || ${uuidOrNull('t.assignee_id')} || ',"reporter_id":' || ${uuidOrNull('t.reporter_id')}
  || ',"due_date":' || COALESCE('"' || to_char(t.due_date, 'YYYY-MM-DD') || '"', 'null')
  || ',"estimated_hours":' || COALESCE(to_json(t.estimated_hours)::text, 'null')
  || ',"actual_hours":' || COALESCE(to_json(t.actual_hours)::text, 'null')
  || ',"rank":' || to_json(t.rank)
  || ',"tag_ids":' || COALESCE((
       SELECT '[' || string_agg('"' || tt.tag_id || '"', ',' ORDER BY tt.tag_id) || ']'
       FROM task_tags tt JOIN tags g ON g.id = tt.tag_id AND g.deleted_at IS NULL WHERE tt.task_id = t.id), '[]')
  || ',"checklist":' || CASE WHEN jsonb_typeof(t.checklist) = 'array' THEN COALESCE((
       SELECT '[' || string_agg('{"id":' || ${itemText('id')} || ',"text":' || ${itemText('text')}
         || ',"done":' || CASE WHEN e.v->'done' = 'true'::jsonb THEN 'true' ELSE 'false' END || '}', ',' ORDER BY e.i) || ']'
       FROM jsonb_array_elements(t.checklist) WITH ORDINALITY AS e(v, i)), '[]') ELSE '[]' END
  || ',"created_at":"' || ${isoMs('t.created_at')} || '","updated_at":"' || ${isoMs('t.updated_at')}
  || '","completed_at":' || ${isoMsOrNull('t.completed_at')} || ',"deleted_at":' || ${isoMsOrNull('t.deleted_at')} || '}'`;

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
 * Exact totals that had to count rows (search, dates, reporter), per database, remembered with the project's
 * task_list_versions.version they were counted at (0005: a new version from a sequence in the same
 * transaction as every change of the project's tasks). The list's statement reads the current version in
 * its own snapshot and uses the remembered total only when it is still that version, so a total is never
 * stale: any change of the project's tasks, task tags or tags (0006) makes the next such request count again.
 */
const totalCaches = new WeakMap<Sql, Map<string, { version: string; total: number }>>();
const TOTAL_CACHE_MAX = 2000;

function totalCache(sql: Sql) {
  let cache = totalCaches.get(sql);
  if (!cache) totalCaches.set(sql, (cache = new Map()));
  return cache;
}

/**
 * Whole pages, remembered the same way: the page's JSON text and total with the version they were read at.
 * A page depends on the project's tasks, task_tags and tags, all of which change the version (0005, 0006), and
 * on nothing about the reader but being a member (checked by every request's statement, hit or not). While
 * the version holds, a request reads the session, the role and the version only. Bounded by the text kept.
 */
interface RememberedPage {
  version: string;
  total: number;
  data: string;
}
const pageCaches = new WeakMap<Sql, { pages: Map<string, RememberedPage>; chars: number }>();
const PAGE_CACHE_MAX_CHARS = 8 * 2 ** 20;

function pageCache(sql: Sql) {
  let cache = pageCaches.get(sql);
  if (!cache) pageCaches.set(sql, (cache = { pages: new Map(), chars: 0 }));
  return cache;
}

function rememberPage(sql: Sql, key: string, page: RememberedPage): void {
  const cache = pageCache(sql);
  forgetPage(cache, key);
  if (page.data.length > PAGE_CACHE_MAX_CHARS / 16) return;
  // Oldest first out (Map keeps insertion order; a hit re-inserts).
  while (cache.chars + page.data.length > PAGE_CACHE_MAX_CHARS) forgetPage(cache, cache.pages.keys().next().value!);
  cache.pages.set(key, page);
  cache.chars += page.data.length;
}

function forgetPage(cache: { pages: Map<string, RememberedPage>; chars: number }, key: string): void {
  const old = cache.pages.get(key);
  if (!old) return;
  cache.pages.delete(key);
  cache.chars -= old.data.length;
}

/** The filters a counted total depends on, as a cache key (page, per_page and sort do not change a total). */
function totalKey(projectId: string, q: TaskListQuery, search: string | null): string {
  return JSON.stringify([projectId, q.include_deleted ?? null, q.status ?? null, q.priority ?? null, q.assignee_id ?? null,
    q.reporter_id ?? null, q.due_before ?? null, q.due_after ?? null, q.tag ?? null, search]);
}

/** The list statement's one row: the head, and the page as JSON text (see TASK_JSON). */
interface ListRow {
  live: boolean;
  role: Role | null;
  version: string | null;
  total: string | null;
  data: string;
}

/**
 * One page of a project's tasks with its exact total, as `reader` may see them. With `reader.session` (a token
 * whose session was not checked yet, see requireToken) `live` says whether the session is live, and nothing
 * else is read when it is not. `role` is the reader's role in the live project, or null when they are not a
 * member (or there is no such project): then nothing else is read. Membership, total and page come from one statement and one row: the head (role, total) is
 * computed first, the page (`data`: a JSON array of TaskDto, as text) from it.
 */
export async function listTasks(
  sql: Sql,
  projectId: string,
  reader: { userId: string; session?: TokenSession },
  q: TaskListQuery,
): Promise<{ live: boolean; role: Role | null; data: string; pagination: Pagination }> {
  const readerId = reader.userId;
  const none = { live: true, role: null, data: '[]', pagination: paginate(q.page, q.per_page, 0) };
  // A session to check (ids verified as UUIDs by verifyAccessClaims) is checked first, whatever the project.
  if (reader.session && !isUuid(projectId)) {
    const [row] = await sql<{ live: boolean }[]>`SELECT ${sessionLiveSql(sql, reader.session)} AS live`;
    return { ...none, live: row?.live === true };
  }
  if (!isUuid(projectId) || !isUuid(readerId)) return none;
  const live = () => (reader.session ? sessionLiveSql(sql, reader.session) : sql`true`);
  const version = () => sql`(SELECT v.version FROM task_list_versions v WHERE v.project_id = ${projectId})`;
  // A remembered page (see pageCaches) is answered after a small statement (session, role, version) when its
  // version still holds; otherwise the full statement below runs. A statement of its own, not a branch of the
  // full one: PostgreSQL would plan the page's subqueries on every request even where it never runs them.
  const pageKey = JSON.stringify([projectId, q]);
  const remembered = pageCache(sql).pages.get(pageKey);
  if (remembered) {
    const [check] = await sql<{ live: boolean; role: Role | null; version: string | null }[]>`
      WITH a AS MATERIALIZED (SELECT ${live()} AS live)
      SELECT a.live, CASE WHEN a.live THEN ${projectRoleSql(sql, projectId, readerId)} END AS role, ${version()} AS version FROM a`;
    if (!check?.live) return { ...none, live: false };
    if (!check.role) return none;
    if (check.version === remembered.version) {
      rememberPage(sql, pageKey, remembered); // most recently used
      return { live: true, role: check.role, data: remembered.data, pagination: paginate(q.page, q.per_page, remembered.total) };
    }
  }

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
  // The board walk of a search (see pageIds) tests the words row by row: the same test, written so that it
  // cannot use the GIN index.
  const walkWhere = [...where];
  if (q.search) {
    const plan = searchPlan(q.search);
    if (plan.prefixQuery) {
      const words: Fragment = sql`${sql.unsafe(SEARCH_VECTOR)} @@ to_tsquery('simple', ${plan.prefixQuery})`;
      where.push(words);
      walkWhere.push(sql`(${words}) IS TRUE`);
    }
    for (const part of plan.substrings) {
      const substring: Fragment = sql`(t.title || ' ' || t.description) ILIKE ${`%${likeEscape(part)}%`}`;
      where.push(substring);
      walkWhere.push(substring);
    }
  }
  const and = (parts: Fragment[]) => parts.reduce((acc, part) => sql`${acc} AND ${part}`);
  const condition = and(where);
  const offset = (q.page - 1) * q.per_page;

  // The total: summed from task_counts when the filters allow, else counted (or remembered, see totalCaches).
  const counts = !(q.tag || q.search || q.due_before || q.due_after || q.reporter_id);
  const cache = totalCache(sql);
  const key = counts ? null : totalKey(projectId, q, q.search ? JSON.stringify(searchPlan(q.search)) : null);
  const known = key ? cache.get(key) : undefined;
  const countRows = sql`(SELECT count(*) FROM tasks t WHERE ${condition})`;
  const total =
    counts ? countedTotal(sql, projectId, q)
    : known ? sql`CASE WHEN r.version = ${known.version}::bigint THEN ${known.total}::bigint ELSE ${countRows} END`
    : countRows;
  const [head] = await sql<ListRow[]>`
    WITH a AS MATERIALIZED (SELECT ${live()} AS live),
    -- The role (and so everything below) only for a live session.
    r AS MATERIALIZED (SELECT CASE WHEN a.live THEN ${projectRoleSql(sql, projectId, readerId)} END AS role, ${version()} AS version FROM a),
    h AS MATERIALIZED (
      -- The CASE keeps the total (and the page below) from being computed for a non-member.
      SELECT r.role, r.version, CASE WHEN r.role IS NOT NULL THEN ${total} END AS total,
        ${q.search ? sql`CASE WHEN r.role IS NOT NULL THEN ${countedTotal(sql, projectId, q)} END` : sql`NULL::numeric`} AS scope
      FROM r)
    SELECT a.live, h.role, h.version, h.total, COALESCE((
      SELECT '[' || string_agg(${sql.unsafe(TASK_JSON)}, ',' ORDER BY ${orderBy(sql, q.sort)}) || ']'
      FROM (${pageIds(sql, q, condition, and(walkWhere), offset)}) page JOIN tasks t ON t.id = page.id), '[]') AS data
    FROM a, h`;
  if (!head?.live) return { ...none, live: false };
  if (!head.role) return none;
  const count = Number(head.total ?? 0);
  if (key && head.version !== null) {
    cache.delete(key);
    if (cache.size >= TOTAL_CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, { version: head.version, total: count });
  }
  if (head.version !== null) rememberPage(sql, pageKey, { version: head.version, total: count, data: head.data });
  else forgetPage(pageCache(sql), pageKey);
  return { live: true, role: head.role, data: head.data, pagination: paginate(q.page, q.per_page, count) };
}

/**
 * The page's ids, inside the list statement's page subquery (`h` is its head: role, total, scope). The page's
 * ids come first and rows are built for those only: PostgreSQL computes the select list (with its tag
 * subquery) for every row an OFFSET skips, which made deep pages cost seconds. The head gates the scan: for a
 * non-member (role and total null) it never starts.
 *
 * Without a search the planner walks an index in the sort's order, stopping when the page is full. With one
 * it cannot: PostgreSQL cannot estimate prefix searches, and walking the board index testing each row costs
 * 1 ms for a common word and 0.6 s on 100,000 tasks for a word no task contains. So the exact total decides,
 * with two branches of which only the chosen one runs (their gates depend on the head alone). Walking tests
 * about (offset + per_page) * scope / total rows, scope being the tasks the other filters leave (task_counts:
 * an upper bound when tag, date or reporter filters narrow it further, as those run before the search test);
 * a tested row costs ~5x a match read from the index (8 us vs 1.7 us here). So: walk while it tests fewer
 * than a fifth as many rows as there are matches, otherwise take every match first (a materialized CTE, so
 * the search's own index is used), then sort them.
 */
function pageIds(sql: Sql, q: TaskListQuery, condition: Fragment, walkCondition: Fragment, offset: number): Fragment {
  const walk = (gate: Fragment, where: Fragment): Fragment => sql`
    SELECT t.id FROM tasks t WHERE ${gate} AND ${where}
    ORDER BY ${orderBy(sql, q.sort)} LIMIT ${q.per_page} OFFSET ${offset}`;
  if (!q.search) return walk(sql`h.role IS NOT NULL`, condition);
  // numeric: total * total must not overflow whatever the table's size.
  const walkIt = sql`(${offset + q.per_page}::numeric * h.scope * 5 <= h.total::numeric * h.total)`;
  // The walk's words test cannot use the GIN index (walkCondition), so a generic plan (postgres.js prepares
  // every statement; PostgreSQL switches to a generic plan after five runs and cannot estimate a search or a
  // LIMIT it does not know) still walks: it once chose to sort all 15,000 matches here instead (45 ms).
  return sql`
    (${walk(sql`h.total > ${offset} AND ${walkIt}`, walkCondition)})
    UNION ALL
    (WITH matched AS MATERIALIZED (
       SELECT t.id, t.status, t.priority, t.rank, t.created_at, t.updated_at, t.due_date
       FROM tasks t WHERE h.total > ${offset} AND NOT ${walkIt} AND ${condition})
     SELECT t.id FROM matched t ORDER BY ${orderBy(sql, q.sort)} LIMIT ${q.per_page} OFFSET ${offset})`;
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
