-- 0006_task_list_versions_tags: a project's task list version (0005) also changes with its tags and task tags.
--
-- The REST list now remembers whole pages, not only counted totals (sync-server/src/tasks/task-queries.ts). A
-- page's JSON carries each task's live tag ids (task_tags joined with tags not deleted), and a tag filter reads
-- tags by name, so a page is exact for a version only if every write of those two tables changes the version
-- too, in the same transaction. The functions are 0005's: both tables have a project_id column.
--
-- Write cost: one statement-level trigger per statement that writes task_tags or tags (the projection writer's
-- tag-set statement, the tag routes); a statement that changed no row returns before it.
--
-- Runs on PostgreSQL 15 and PGlite (PostgreSQL 18).

CREATE TRIGGER task_list_versions_insert AFTER INSERT ON task_tags
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task_list_versions_after_write();
CREATE TRIGGER task_list_versions_update AFTER UPDATE ON task_tags
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task_list_versions_after_write();
CREATE TRIGGER task_list_versions_delete AFTER DELETE ON task_tags
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION task_list_versions_after_delete();
CREATE TRIGGER task_list_versions_truncate AFTER TRUNCATE ON task_tags
  FOR EACH STATEMENT EXECUTE FUNCTION task_list_versions_after_truncate();

CREATE TRIGGER task_list_versions_insert AFTER INSERT ON tags
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task_list_versions_after_write();
CREATE TRIGGER task_list_versions_update AFTER UPDATE ON tags
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task_list_versions_after_write();
CREATE TRIGGER task_list_versions_delete AFTER DELETE ON tags
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION task_list_versions_after_delete();
CREATE TRIGGER task_list_versions_truncate AFTER TRUNCATE ON tags
  FOR EACH STATEMENT EXECUTE FUNCTION task_list_versions_after_truncate();

-- Projects with tags but no tasks yet get their version row now (the triggers hold the tables' locks).
INSERT INTO task_list_versions (project_id, version)
SELECT p, nextval('task_list_version_seq') FROM (SELECT DISTINCT project_id AS p FROM tags) d ORDER BY p
ON CONFLICT (project_id) DO NOTHING;
