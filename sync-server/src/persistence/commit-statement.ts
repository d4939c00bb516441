// A group commit as ONE SQL statement: the log rows, the projection upserts and removals, the task tag sets
// and the activity rows, as data-modifying CTEs over JSON parameters. One round trip and one prepared
// statement whatever the batch holds (the query text never changes with row counts), and one implicit
// transaction, so the log and its projections still commit together or not at all.
//
// Why: a commit used to be BEGIN, the log insert, SAVEPOINT, one statement per projection table, the activity
// insert, RELEASE, COMMIT: seven round trips, each paying postgres.js's and PostgreSQL's per-statement costs.
// With 500 rooms editing (bench scenario 2) nearly every update is its own commit.
//
// All CTEs see the same snapshot. That is safe here because no two of them touch the same row: an id is either
// upserted or removed (later deltas replace earlier ones in `merge`), and a task's tag set is applied as "drop
// the pairs not in the new set" plus "insert the new pairs, keeping existing ones", two disjoint row sets.
// Triggers (task_counts) and foreign keys run at the end of the statement, after every CTE.
import type postgres from 'postgres';
import type { Sql } from '../db/database.ts';
import { isUuid } from '../auth/authenticate.ts';
import type { ActivityEntry, ProjectionChanges } from './effects.ts';
import { ATTACHMENT_COLS, COMMENT_COLS, merge, TAG_COLS, TASK_COLS, type Merged } from './effects-writer.ts';

export interface CommitRows {
  projectId: string;
  /** In document order: the log keeps that order (row ids increase along it). */
  updates: { update: Uint8Array; userId: string | null }[];
  changes: ProjectionChanges[];
  activity: ActivityEntry[];
}

/**
 * One part of the statement: a CTE reading its rows from one JSON parameter (written `$P`, numbered when
 * the statement is put together). Parts with nothing to write are left out, so a title edit plans three
 * CTEs, not twelve; each combination is its own prepared statement (a handful occur in practice).
 */
interface Part {
  key: string;
  sql: string;
}

function upsertPart(name: string, table: string, cols: readonly string[]): Part {
  const values = cols.map((c) => (c === 'project_id' ? '$1::uuid' : `r.${c}`)).join(', ');
  const updates = cols.filter((c) => c !== 'id' && c !== 'project_id').map((c) => `${c} = EXCLUDED.${c}`).join(', ');
  // Rows in key order, so concurrent commits touching the same rows lock them in the same order.
  return {
    key: name,
    sql: `${name} AS (
    INSERT INTO ${table} (${cols.join(', ')})
    SELECT ${values} FROM json_populate_recordset(NULL::${table}, $P::json) r ORDER BY r.id
    ON CONFLICT (id) DO UPDATE SET ${updates} WHERE ${table}.project_id = EXCLUDED.project_id)`,
  };
}

function removePart(name: string, table: string): Part {
  return {
    key: name,
    sql: `${name} AS (
    DELETE FROM ${table} WHERE project_id = $1::uuid AND id IN (SELECT value::uuid FROM json_array_elements_text($P::json)))`,
  };
}

const LOG: Part = {
  key: 'log',
  sql: `log AS (
    INSERT INTO yjs_updates (project_id, update, user_id)
    SELECT $1::uuid, decode(e.v->>'h', 'hex'), (e.v->>'u')::uuid
    FROM json_array_elements($P::json) WITH ORDINALITY AS e(v, n) ORDER BY e.n
    RETURNING id)`,
};

const PARTS: Part[] = [
  upsertPart('tasks_up', 'tasks', TASK_COLS),
  upsertPart('comments_up', 'comments', COMMENT_COLS),
  upsertPart('tags_up', 'tags', TAG_COLS),
  upsertPart('attachments_up', 'attachments', ATTACHMENT_COLS),
  removePart('tasks_gone', 'tasks'),
  removePart('comments_gone', 'comments'),
  removePart('tags_gone', 'tags'),
  removePart('attachments_gone', 'attachments'),
  {
    key: 'tag_sets',
    sql: `tag_sets AS (SELECT s.key::uuid AS task_id, s.value AS tag_ids FROM json_each($P::json) s),
  tag_pairs AS (
    SELECT DISTINCT t.task_id, g.value::uuid AS tag_id FROM tag_sets t, json_array_elements_text(t.tag_ids) g),
  tags_dropped AS (
    DELETE FROM task_tags x WHERE x.project_id = $1::uuid AND x.task_id IN (SELECT task_id FROM tag_sets)
      AND NOT EXISTS (SELECT FROM tag_pairs p WHERE p.task_id = x.task_id AND p.tag_id = x.tag_id)),
  tags_added AS (
    INSERT INTO task_tags (project_id, task_id, tag_id)
    SELECT $1::uuid, task_id, tag_id FROM tag_pairs ORDER BY task_id, tag_id ON CONFLICT DO NOTHING)`,
  },
  {
    key: 'activity',
    sql: `activity AS (
    INSERT INTO activity_log (project_id, task_id, user_id, action, entity_type, entity_id, changes)
    SELECT $1::uuid, a.task_id, a.user_id, a.action, a.entity_type, a.entity_id, a.changes
    FROM json_to_recordset($P::json) AS a(task_id uuid, user_id uuid, action text, entity_type text, entity_id uuid, changes jsonb))`,
  },
];

const statements = new Map<number, string>();

/** The statement for the parts in `mask` (bit i = PARTS[i]); the log is always there, parameter $2. */
function statementFor(mask: number): string {
  let text = statements.get(mask);
  if (text) return text;
  const used = [LOG, ...PARTS.filter((_, i) => mask & (1 << i))];
  const ctes = used.map((part, i) => part.sql.replaceAll('$P', `$${i + 2}`));
  text = `WITH ${ctes.join(',\n  ')}\n  SELECT max(id)::text AS last_id FROM log`;
  statements.set(mask, text);
  return text;
}

/**
 * Writes the batch in one statement; resolves with the last log row id. Rows whose ids are not UUIDs (a
 * client can write any string into the document) are left out of the projections, as everywhere else.
 */
export async function commitInOneStatement(sql: Sql, batch: CommitRows): Promise<string> {
  if (batch.updates.length === 0) throw new Error('commit: empty batch');
  const m: Merged = merge(batch.changes);
  const live = <R extends { id: string }>(map: Map<string, R | null>) => [...map.values()].filter((r): r is R => r !== null && isUuid(r.id));
  const dead = (map: Map<string, unknown>) => [...map].filter(([id, r]) => r === null && isUuid(id)).map(([id]) => id);
  const tagSets: Record<string, string[]> = {};
  for (const [taskId, tagIds] of m.taskTags) if (isUuid(taskId)) tagSets[taskId] = tagIds.filter(isUuid);
  const activity = batch.activity
    .filter((a) => isUuid(a.entityId))
    .map((a) => ({
      task_id: a.taskId && isUuid(a.taskId) ? a.taskId : null,
      user_id: a.userId,
      action: a.action,
      entity_type: a.entityType,
      entity_id: a.entityId,
      changes: a.changes,
    }));
  const log = batch.updates.map((u) => ({ h: Buffer.from(u.update.buffer, u.update.byteOffset, u.update.byteLength).toString('hex'), u: u.userId }));
  // In PARTS order; postgres.js serializes each json parameter (JSON.stringify) once the server has described it.
  const values: unknown[] = [
    live(m.tasks),
    live(m.comments).filter((r) => isUuid(r.task_id)),
    live(m.tags),
    live(m.attachments).filter((r) => isUuid(r.task_id)),
    dead(m.tasks),
    dead(m.comments),
    dead(m.tags),
    dead(m.attachments),
    tagSets,
    activity,
  ];
  let mask = 0;
  const params: unknown[] = [batch.projectId, log];
  values.forEach((v, i) => {
    if (Array.isArray(v) ? v.length === 0 : Object.keys(v as object).length === 0) return;
    mask |= 1 << i;
    params.push(v);
  });
  const rows = await sql.unsafe<{ last_id: string }[]>(statementFor(mask), params as postgres.ParameterOrJSON<never>[], { prepare: true });
  return rows[0]!.last_id;
}
