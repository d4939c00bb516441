-- 0002_task_list_indexes: indexes for the REST task list's board and urgency orders.
-- Board order is status column order (TODO..ARCHIVED, not alphabetical) then rank as plain ASCII (COLLATE "C",
-- matching shared/rank.ts and JavaScript string comparison whatever the database's default collation is)
-- then id. Priority order is urgency (LOW < MEDIUM < HIGH < URGENT). Both are expressions, so the indexes
-- must use the very same expressions as sync-server/src/tasks/task-queries.ts.

CREATE INDEX tasks_project_board_idx ON tasks (
  project_id,
  (CASE status WHEN 'TODO' THEN 0 WHEN 'IN_PROGRESS' THEN 1 WHEN 'IN_REVIEW' THEN 2 WHEN 'DONE' THEN 3 ELSE 4 END),
  rank COLLATE "C",
  id
) WHERE deleted_at IS NULL;

CREATE INDEX tasks_project_priority_rank_idx ON tasks (
  project_id,
  (CASE priority WHEN 'LOW' THEN 0 WHEN 'MEDIUM' THEN 1 WHEN 'HIGH' THEN 2 ELSE 3 END),
  id
) WHERE deleted_at IS NULL;
