-- 0003_snapshot_delete_set: the snapshot's delete set, stored beside its state vector.
-- A returning client (one that already holds the snapshot's content) is answered from the state vector, this
-- delete set (an update with no structs, written by Y.encodeStateAsUpdate(doc, stateVector)) and the log rows
-- after the snapshot, before the document itself is loaded (sync-server/src/rooms/stored-head.ts).
-- NULL for snapshots written before this migration: such a project is answered after the load until its next
-- compaction.
ALTER TABLE yjs_snapshots ADD COLUMN delete_set bytea;
