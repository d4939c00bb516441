-- 0005_task_list_versions: a version per project that changes with every change of its tasks, so the REST
-- list can remember totals it had to count (a search's, a date filter's) and still never answer a stale one.
--
-- GET /api/projects/:id/tasks?search=... answers with an exact total. Counting it visits every match in the
-- table (13 ms for 15,000 matches of 100,000 tasks; PostgreSQL 15's bitmap scans read every heap page that
-- holds one), on every page request of the same search. The server remembers such a total together with the
-- project's version (sync-server/src/tasks/task-queries.ts) and the list's statement reads the version in its
-- own snapshot: equal means no transaction changed the project's tasks since that count, so the remembered
-- total is exactly what counting again would give. Versions come from a sequence, so a project's version
-- never takes a value twice (not even after its row was deleted and made again).
--
-- Write cost: one statement-level trigger per statement that writes tasks (the projection writer's upserts
-- fire the insert and the update one), each an upsert of one row per project the statement touched; a
-- statement that changed no row returns before it. Tags (task_tags, tags) do not bump the version: totals
-- filtered by tag are never remembered.
--
-- Runs on PostgreSQL 15 and PGlite (PostgreSQL 18).

CREATE SEQUENCE task_list_version_seq;

CREATE TABLE task_list_versions (
  project_id uuid PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  version    bigint NOT NULL
);

-- Inserted and updated rows: their projects exist (tasks.project_id references projects), so upsert.
CREATE FUNCTION task_list_versions_after_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The projection writer's upserts fire both triggers, usually with no inserted row.
  IF NOT EXISTS (SELECT FROM new_rows) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO task_list_versions AS v (project_id, version)
    SELECT p, nextval('task_list_version_seq') FROM (SELECT DISTINCT project_id AS p FROM new_rows) d ORDER BY p
    ON CONFLICT (project_id) DO UPDATE SET version = EXCLUDED.version;
  ELSE
    INSERT INTO task_list_versions AS v (project_id, version)
    SELECT p, nextval('task_list_version_seq')
    FROM (SELECT project_id AS p FROM new_rows UNION SELECT project_id FROM old_rows) d ORDER BY p
    ON CONFLICT (project_id) DO UPDATE SET version = EXCLUDED.version;
  END IF;
  RETURN NULL;
END $$;

-- Deleted rows: only existing version rows change. When a project row is deleted, the cascade removes its
-- tasks (this runs for them) and its version row, in either order; inserting here would then break the
-- foreign key. A project without a version row has no remembered totals (see task-queries.ts).
CREATE FUNCTION task_list_versions_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE task_list_versions v SET version = nextval('task_list_version_seq')
  WHERE v.project_id IN (SELECT DISTINCT project_id FROM old_rows);
  RETURN NULL;
END $$;

CREATE FUNCTION task_list_versions_after_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE task_list_versions SET version = nextval('task_list_version_seq');
  RETURN NULL;
END $$;

CREATE TRIGGER task_list_versions_insert AFTER INSERT ON tasks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task_list_versions_after_write();
CREATE TRIGGER task_list_versions_update AFTER UPDATE ON tasks
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task_list_versions_after_write();
CREATE TRIGGER task_list_versions_delete AFTER DELETE ON tasks
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION task_list_versions_after_delete();
CREATE TRIGGER task_list_versions_truncate AFTER TRUNCATE ON tasks
  FOR EACH STATEMENT EXECUTE FUNCTION task_list_versions_after_truncate();

-- Projects that have tasks already (the triggers above hold the table's lock until this transaction commits).
INSERT INTO task_list_versions (project_id, version)
SELECT p, nextval('task_list_version_seq') FROM (SELECT DISTINCT project_id AS p FROM tasks) d ORDER BY p;
