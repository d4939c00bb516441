-- 0004_task_list_counts: exact totals for the REST task list without counting rows, and an index for
-- "one assignee's tasks in board order".
--
-- GET /api/projects/:id/tasks answers with an exact total. Counting it from the tasks rows costs one index
-- entry per matching task (2-5 ms for 20,000 of a 100,000-task project, on every page request). task_counts
-- holds the number of tasks per (project, deleted?, status, priority, assignee), kept exact by the triggers
-- below in the same transaction as every change of tasks, so a total filtered by those columns only is a sum
-- over at most a few hundred rows. Totals with other filters (search, tag, dates, reporter) still count rows.
--
-- Write cost: inserts and deletes pay one grouped upsert per statement (row-level counting would update the
-- same few count rows once per row: 20,000 inserted tasks took 11 s instead of 2); an update pays only when
-- one of the counted columns changes (a moved, reassigned, re-prioritised, deleted or restored task), never
-- for edits of titles, descriptions, ranks or dates (the row trigger's WHEN clause filters those out before
-- any function call). The projection writer's upserts still fire the statement-level insert trigger, which
-- then finds no inserted row and returns (tens of microseconds per statement). The projection writer
-- changes one project per transaction, so concurrent writers never lock the same count rows in opposite
-- orders; within a statement rows are upserted in key order.
--
-- Runs on PostgreSQL 15 and PGlite (PostgreSQL 18): UNIQUE NULLS NOT DISTINCT is core since 15.

CREATE TABLE task_counts (
  project_id  uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  deleted     boolean NOT NULL,       -- deleted_at IS NOT NULL
  status      text NOT NULL,
  priority    text NOT NULL,
  assignee_id uuid,                   -- NULL = unassigned, a group of its own
  n           bigint NOT NULL,
  CONSTRAINT task_counts_key UNIQUE NULLS NOT DISTINCT (project_id, deleted, status, priority, assignee_id)
);

-- The projection writer upserts (INSERT ... ON CONFLICT DO UPDATE), so this runs for every statement that
-- writes tasks, usually with no row inserted: return before the grouped upsert then.
CREATE FUNCTION task_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM new_rows) THEN
    RETURN NULL;
  END IF;
  INSERT INTO task_counts AS c (project_id, deleted, status, priority, assignee_id, n)
  SELECT r.project_id, r.deleted_at IS NOT NULL, r.status, r.priority, r.assignee_id, count(*)
  FROM new_rows r
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (project_id, deleted, status, priority, assignee_id) DO UPDATE SET n = c.n + EXCLUDED.n;
  RETURN NULL;
END $$;

-- Only decrements existing rows: when a project row is deleted, the cascade removes its tasks (this runs for
-- them) and its task_counts rows, in either order.
CREATE FUNCTION task_counts_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE task_counts c SET n = c.n - d.n
  FROM (SELECT r.project_id, r.deleted_at IS NOT NULL AS deleted, r.status, r.priority, r.assignee_id, count(*) AS n
        FROM old_rows r GROUP BY 1, 2, 3, 4, 5) d
  WHERE c.project_id = d.project_id AND c.deleted = d.deleted AND c.status = d.status AND c.priority = d.priority
    AND c.assignee_id IS NOT DISTINCT FROM d.assignee_id;
  RETURN NULL;
END $$;

-- Runs only when a counted column changed (see the trigger's WHEN), so the two keys differ; upserted in key
-- order like the statement triggers.
CREATE FUNCTION task_counts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO task_counts AS c (project_id, deleted, status, priority, assignee_id, n)
  SELECT * FROM (VALUES
    (OLD.project_id, OLD.deleted_at IS NOT NULL, OLD.status, OLD.priority, OLD.assignee_id, -1::bigint),
    (NEW.project_id, NEW.deleted_at IS NOT NULL, NEW.status, NEW.priority, NEW.assignee_id, 1::bigint)) AS v
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (project_id, deleted, status, priority, assignee_id) DO UPDATE SET n = c.n + EXCLUDED.n;
  RETURN NULL;
END $$;

CREATE FUNCTION task_counts_after_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM task_counts;
  RETURN NULL;
END $$;

CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task_counts_after_insert();
CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION task_counts_after_delete();
CREATE TRIGGER task_counts_update AFTER UPDATE ON tasks FOR EACH ROW
  WHEN (OLD.project_id IS DISTINCT FROM NEW.project_id OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.priority IS DISTINCT FROM NEW.priority OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
        OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
  EXECUTE FUNCTION task_counts_after_update();
CREATE TRIGGER task_counts_truncate AFTER TRUNCATE ON tasks FOR EACH STATEMENT EXECUTE FUNCTION task_counts_after_truncate();

-- The rows that exist already (the triggers above hold the table's lock until this transaction commits).
INSERT INTO task_counts (project_id, deleted, status, priority, assignee_id, n)
SELECT project_id, deleted_at IS NOT NULL, status, priority, assignee_id, count(*)
FROM tasks GROUP BY 1, 2, 3, 4, 5;

-- One assignee's tasks in board order (the same expressions as tasks_project_board_idx in 0002), page by
-- page; it also serves assignee_id=none. It replaces 0001's tasks_assignee_idx (assignee_id, project_id):
-- every task query is scoped to a project, so the project-first index answers everything that one did.
CREATE INDEX tasks_project_assignee_board_idx ON tasks (
  project_id,
  assignee_id,
  (CASE status WHEN 'TODO' THEN 0 WHEN 'IN_PROGRESS' THEN 1 WHEN 'IN_REVIEW' THEN 2 WHEN 'DONE' THEN 3 ELSE 4 END),
  rank COLLATE "C",
  id
) WHERE deleted_at IS NULL;
DROP INDEX tasks_assignee_idx;

-- The list filters priority through the urgency expression of tasks_project_priority_rank_idx (0002), which
-- answers what 0001's (project_id, priority, id) did; one index fewer to write on every task change.
DROP INDEX tasks_project_priority_idx;

-- Statistics for the board and urgency expressions. PostgreSQL ignores the expression statistics of partial
-- indexes (both 0002 indexes are partial), so without these every status or priority filter of the list was
-- estimated at 0.5% of the rows (it is 20-25% on a real board) and the planner sorted 25,000 rows where
-- walking the board index reads 200.
CREATE STATISTICS tasks_list_order_stats ON
  (CASE status WHEN 'TODO' THEN 0 WHEN 'IN_PROGRESS' THEN 1 WHEN 'IN_REVIEW' THEN 2 WHEN 'DONE' THEN 3 ELSE 4 END),
  (CASE priority WHEN 'LOW' THEN 0 WHEN 'MEDIUM' THEN 1 WHEN 'HIGH' THEN 2 ELSE 3 END)
FROM tasks;
ANALYZE tasks;
