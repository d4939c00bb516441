// Group commits as ONE SQL statement: the log rows, the projection upserts and removals, the task tag sets
// and the activity rows, as data-modifying CTEs over JSON parameters, for one project or for several at once
// (PgDocStore combines the batches rooms hand over in the same event-loop turn). One round trip and one
// implicit transaction, so every log row and its projections commit together or not at all.
//
// Why: a commit used to be BEGIN, the log insert, SAVEPOINT, one statement per projection table, the activity
// insert, RELEASE, COMMIT: seven round trips, each paying postgres.js's and PostgreSQL's per-statement costs,
// once per room. With 500 rooms editing (bench scenario 2) nearly every update was its own transaction.
//
// All CTEs see the same snapshot. That is safe here because no two of them touch the same row: an id is either
// upserted or removed (later deltas replace earlier ones in `merge`), a task's tag set is applied as "drop
// the pairs not in the new set" plus "insert the new pairs, keeping existing ones" (two disjoint row sets), and
// the batches of one statement belong to different projects. Triggers (task_counts) and foreign keys run at the
// end of the statement, after every CTE. Rows are written in key order, so concurrent statements (always of
// different projects) lock shared rows in the same order.
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
  const updates = cols.filter((c) => c !== 'id' && c !== 'project_id').map((c) => `${c} = EXCLUDED.${c}`).join(', ');
  return {
    key: name,
    sql: `${name} AS (
    INSERT INTO ${table} (${cols.join(', ')})
    SELECT ${cols.map((c) => `r.${c}`).join(', ')} FROM json_populate_recordset(NULL::${table}, $P::json) r ORDER BY r.id
    ON CONFLICT (id) DO UPDATE SET ${updates} WHERE ${table}.project_id = EXCLUDED.project_id)`,
  };
}

function removePart(name: string, table: string): Part {
  return {
    key: name,
    sql: `${name} AS (
    DELETE FROM ${table} x USING json_to_recordset($P::json) AS g(p uuid, id uuid) WHERE x.project_id = g.p AND x.id = g.id)`,
  };
}

const LOG: Part = {
  key: 'log',
  sql: `log AS (
    INSERT INTO yjs_updates (project_id, update, user_id)
    SELECT (e.v->>'p')::uuid, decode(e.v->>'b', 'base64'), (e.v->>'u')::uuid
    FROM json_array_elements($P::json) WITH ORDINALITY AS e(v, n) ORDER BY e.n
    RETURNING id, project_id)`,
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
    sql: `tag_sets AS (SELECT s.p, s.t AS task_id, s.tags FROM json_to_recordset($P::json) AS s(p uuid, t uuid, tags json)),
  tag_pairs AS (
    SELECT DISTINCT s.p, s.task_id, g.value::uuid AS tag_id FROM tag_sets s, json_array_elements_text(s.tags) g),
  tags_dropped AS (
    DELETE FROM task_tags x USING tag_sets s WHERE x.project_id = s.p AND x.task_id = s.task_id
      AND NOT EXISTS (SELECT FROM tag_pairs q WHERE q.task_id = x.task_id AND q.tag_id = x.tag_id)),
  tags_added AS (
    INSERT INTO task_tags (project_id, task_id, tag_id)
    SELECT p, task_id, tag_id FROM tag_pairs ORDER BY task_id, tag_id ON CONFLICT DO NOTHING)`,
  },
  {
    key: 'activity',
    sql: `activity AS (
    INSERT INTO activity_log (project_id, task_id, user_id, action, entity_type, entity_id, changes)
    SELECT a.p, a.task_id, a.user_id, a.action, a.entity_type, a.entity_id, a.changes
    FROM json_to_recordset($P::json) AS a(p uuid, task_id uuid, user_id uuid, action text, entity_type text, entity_id uuid, changes jsonb))`,
  },
];

const statements = new Map<number, string>();

/** The statement for the parts in `mask` (bit i = PARTS[i]); the log is always there, parameter $1. */
function statementFor(mask: number): string {
  let text = statements.get(mask);
  if (text) return text;
  const used = [LOG, ...PARTS.filter((_, i) => mask & (1 << i))];
  const ctes = used.map((part, i) => part.sql.replaceAll('$P', `$${i + 1}`));
  text = `WITH ${ctes.join(',\n  ')}\n  SELECT project_id::text AS project_id, max(id)::text AS last_id FROM log GROUP BY project_id`;
  statements.set(mask, text);
  return text;
}

/**
 * Writes the batches (each of a different project) in one statement; resolves with each project's last log
 * row id. Rows whose ids are not UUIDs (a client can write any string into the document) are left out of the
 * projections, as everywhere else.
 */
export async function commitInOneStatement(sql: Sql, batches: CommitRows[]): Promise<Map<string, string>> {
  if (batches.length === 0 || batches.some((b) => b.updates.length === 0)) throw new Error('commit: empty batch');
  if (new Set(batches.map((b) => b.projectId)).size !== batches.length) throw new Error('commit: two batches of one project');
  // Update bytes travel as base64 inside the JSON (postgres.js sends every parameter as text): each copy on
  // the way (the string, its place in the JSON text, the Bind message) is 4/3 of the update, where hex was
  // 2x. A 10 kB update cost 63 kB of allocations here with hex, 40 kB now, most of it garbage that an idle
  // process keeps until its next full collection (bench scenario 4).
  const log: { p: string; b: string; u: string | null }[] = [];
  // In PARTS order; postgres.js serializes each json parameter (JSON.stringify) once the server has described it.
  const values: unknown[][] = PARTS.map(() => []);
  const [tasks, comments, tags, attachments, tasksGone, commentsGone, tagsGone, attachmentsGone, tagSets, activity] = values;
  for (const batch of batches) {
    const p = batch.projectId;
    for (const u of batch.updates) log.push({ p, b: Buffer.from(u.update.buffer, u.update.byteOffset, u.update.byteLength).toString('base64'), u: u.userId });
    const m: Merged = merge(batch.changes);
    const live = <R extends { id: string }>(map: Map<string, R | null>) => [...map.values()].filter((r): r is R => r !== null && isUuid(r.id)).map((r) => ({ ...r, project_id: p }));
    const dead = (map: Map<string, unknown>) => [...map].filter(([id, r]) => r === null && isUuid(id)).map(([id]) => ({ p, id }));
    tasks!.push(...live(m.tasks));
    comments!.push(...live(m.comments).filter((r) => isUuid(r.task_id)));
    tags!.push(...live(m.tags));
    attachments!.push(...live(m.attachments).filter((r) => isUuid(r.task_id)));
    tasksGone!.push(...dead(m.tasks));
    commentsGone!.push(...dead(m.comments));
    tagsGone!.push(...dead(m.tags));
    attachmentsGone!.push(...dead(m.attachments));
    for (const [t, ids] of m.taskTags) if (isUuid(t)) tagSets!.push({ p, t, tags: ids.filter(isUuid) });
    for (const a of batch.activity) {
      if (!isUuid(a.entityId)) continue;
      activity!.push({ p, task_id: a.taskId && isUuid(a.taskId) ? a.taskId : null, user_id: a.userId, action: a.action, entity_type: a.entityType, entity_id: a.entityId, changes: a.changes });
    }
  }
  let mask = 0;
  const params: unknown[] = [log];
  values.forEach((v, i) => {
    if (v.length === 0) return;
    mask |= 1 << i;
    params.push(v);
  });
  const rows = await sql.unsafe<{ project_id: string; last_id: string }[]>(statementFor(mask), params as postgres.ParameterOrJSON<never>[], { prepare: true });
  return new Map(rows.map((r) => [r.project_id, r.last_id]));
}
