-- 0007_drop_unused_status_index: drop 0001's tasks_project_status_rank_idx, which nothing reads any more.
--
-- The REST task list filters and orders by status through the board expression of tasks_project_board_idx
-- (0002), and the project detail's counts by status now sum task_counts (0004) instead of counting the
-- tasks rows, which was this index's last reader. Every index on tasks is written by most task changes: a
-- title edit is not an in-place (HOT) update (updated_at and the searched text are indexed), so each edit
-- writes one entry into every index of the table. One fewer: about 120 bytes of WAL per title edit in the
-- sync server's group commit, and a few microseconds of PostgreSQL's CPU (bench/pg-commit-cost.ts,
-- bench/README.md).
DROP INDEX tasks_project_status_rank_idx;
