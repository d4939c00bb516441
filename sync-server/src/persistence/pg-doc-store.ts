// PostgreSQL DocStore: yjs_snapshots + yjs_updates (migrations/0001_init.sql). A group commit is one
// statement (commit-statement.ts: log rows, projections and activity together); when PostgreSQL refuses it
// (a value a buggy client wrote that a column rejects), the log rows are written alone and the projections
// repaired by a full resync later, so a projection problem never blocks the log.
import postgres from 'postgres';
import type { Sql } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { AppendBatch, AppendResult, DocStore, Snapshot, StoredDoc, StoredHead } from './doc-store.ts';
import { commitInOneStatement } from './commit-statement.ts';
import type { BatchEffects } from './effects.ts';
import { chunks, writeEffects } from './effects-writer.ts';

const UPDATE_ROWS_PER_STATEMENT = 5000;

export class PgDocStore implements DocStore {
  constructor(
    private readonly sql: Sql,
    private readonly logger?: Logger,
  ) {}

  async load(projectId: string): Promise<StoredDoc> {
    // ORDER BY must name the bigint column: a bare `id` resolves to the text output column, which sorts
    // '10' before '9' (rows replayed out of order, a wrong compaction mark). Found by bench scenario 5.
    // One snapshot read and the rows after it, in a REPEATABLE READ transaction so a concurrent compaction
    // (another process) cannot make us see the new snapshot with the old rows deleted in between.
    return this.sql.begin('isolation level repeatable read', async (tx) => {
      const snaps = await tx<{ state: Buffer; last_update_id: string }[]>`
        SELECT state, last_update_id::text AS last_update_id FROM yjs_snapshots WHERE project_id = ${projectId}`;
      const snap = snaps[0];
      const after = snap?.last_update_id ?? '0';
      const rows = await tx<{ id: string; update: Buffer }[]>`
        SELECT id::text AS id, update FROM yjs_updates
        WHERE project_id = ${projectId} AND id > ${after}::bigint ORDER BY yjs_updates.id`;
      return {
        snapshot: snap ? { state: toBytes(snap.state), lastUpdateId: snap.last_update_id } : null,
        updates: rows.map((r) => ({ id: r.id, update: toBytes(r.update) })),
      };
    });
  }

  async loadHead(projectId: string): Promise<StoredHead> {
    // One statement (one round trip, one consistent view): the snapshot's row first (part 0, if any), then
    // the log rows after it in id order (part 1).
    const rows = await this.sql<{ part: number; id: string; a: Buffer; b: Buffer | null }[]>`
      WITH snap AS (SELECT state_vector, delete_set, last_update_id FROM yjs_snapshots WHERE project_id = ${projectId})
      SELECT 0 AS part, 0::bigint AS n, last_update_id::text AS id, state_vector AS a, delete_set AS b FROM snap
      UNION ALL
      SELECT 1, u.id, u.id::text, u.update, NULL FROM yjs_updates u
      WHERE u.project_id = ${projectId} AND u.id > COALESCE((SELECT last_update_id FROM snap), 0)
      ORDER BY part, n`;
    const snap = rows[0]?.part === 0 ? rows[0] : undefined;
    return {
      snapshot: snap ? { stateVector: toBytes(snap.a), deleteSet: snap.b ? toBytes(snap.b) : null, lastUpdateId: snap.id } : null,
      updates: rows.filter((r) => r.part === 1).map((r) => ({ id: r.id, update: toBytes(r.a) })),
    };
  }

  async loadSnapshotState(projectId: string, lastUpdateId: string): Promise<Uint8Array | null> {
    const rows = await this.sql<{ state: Buffer }[]>`
      SELECT state FROM yjs_snapshots WHERE project_id = ${projectId} AND last_update_id = ${lastUpdateId}::bigint`;
    return rows[0] ? toBytes(rows[0].state) : null;
  }

  async append(batch: AppendBatch): Promise<AppendResult> {
    if (batch.updates.length === 0) throw new Error('append: empty batch');
    const effects = batch.effects;
    // A full projection resync replaces every row of the project: the rare repair path, in its own transaction.
    if (effects?.fullResync) return this.appendWithResync(batch, effects);
    const rows = { projectId: batch.projectId, updates: batch.updates, changes: effects?.changes ?? [], activity: effects?.activity ?? [] };
    try {
      return { lastId: await commitInOneStatement(this.sql, rows), effectsFailed: false };
    } catch (error) {
      // PostgreSQL refused the statement (a projection value a buggy client wrote that a column rejects):
      // the log rows must still land, alone, and the projections are resynced with the next commit. Anything
      // else (connection lost, server gone) is thrown for the queue to retry the whole batch.
      if (!effects || !(error instanceof postgres.PostgresError)) throw error;
      this.logger?.error({ err: error.message, projectId: batch.projectId }, 'projection/activity write failed; log rows kept, full resync scheduled');
      const lastId = await commitInOneStatement(this.sql, { ...rows, changes: [], activity: [] });
      return { lastId, effectsFailed: true };
    }
  }

  private appendWithResync(batch: AppendBatch, effects: BatchEffects): Promise<AppendResult> {
    return this.sql.begin(async (tx) => {
      const rows = batch.updates.map((u) => ({ project_id: batch.projectId, update: Buffer.from(u.update.buffer, u.update.byteOffset, u.update.byteLength), user_id: u.userId }));
      // In chunks, in order: a statement takes at most 65,535 parameters (3 per row), and a batch that once
      // failed is retried with everything queued since, so it can grow past that (a large board pushed at once).
      const inserted: { id: string }[] = [];
      for (const chunk of chunks(rows, UPDATE_ROWS_PER_STATEMENT)) {
        inserted.push(...(await tx<{ id: string }[]>`INSERT INTO yjs_updates ${tx(chunk, 'project_id', 'update', 'user_id')} RETURNING id::text AS id`));
      }
      let effectsFailed = false;
      try {
        await tx.savepoint((sp) => writeEffects(sp, batch.projectId, effects));
      } catch (error) {
        this.logger?.error({ err: (error as Error).message, projectId: batch.projectId }, 'projection/activity write failed; log rows kept, full resync scheduled');
        effectsFailed = true;
      }
      const lastId = inserted.map((r) => BigInt(r.id)).reduce((a, b) => (a > b ? a : b));
      return { lastId: lastId.toString(), effectsFailed };
    });
  }

  async compact(projectId: string, snapshot: Snapshot): Promise<void> {
    await this.sql.begin(async (tx) => {
      await tx`
        INSERT INTO yjs_snapshots (project_id, state, state_vector, delete_set, last_update_id, update_count, updated_at)
        VALUES (${projectId}, ${Buffer.from(snapshot.state)}, ${Buffer.from(snapshot.stateVector)}, ${Buffer.from(snapshot.deleteSet)}, ${snapshot.lastUpdateId}::bigint, ${snapshot.updateCount}, now())
        ON CONFLICT (project_id) DO UPDATE SET
          state = EXCLUDED.state, state_vector = EXCLUDED.state_vector, delete_set = EXCLUDED.delete_set, last_update_id = EXCLUDED.last_update_id,
          update_count = yjs_snapshots.update_count + EXCLUDED.update_count, updated_at = now()
        WHERE yjs_snapshots.last_update_id <= EXCLUDED.last_update_id`;
      await tx`DELETE FROM yjs_updates WHERE project_id = ${projectId} AND id <= ${snapshot.lastUpdateId}::bigint`;
    });
  }
}

function toBytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
