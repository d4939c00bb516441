// PostgreSQL DocStore: yjs_snapshots + yjs_updates (migrations/0001_init.sql). A group commit is one
// statement (commit-statement.ts: log rows, projections and activity together) shared by the batches of every
// room with news. One such statement is in flight at a time; rooms with news meanwhile cut their batches when
// it lands (commitTurn), so they all go out together in the next. Heavy batches go alone, beside it. When
// PostgreSQL refuses a statement, each batch is retried on its own, and a batch whose projection part is
// refused (a value a buggy client wrote that a column rejects) has its log rows written alone and its
// projections repaired by a full resync later, so a projection problem never blocks the log.
import postgres from 'postgres';
import type { Sql } from '../db/database.ts';
import { isUuid } from '../auth/authenticate.ts';
import type { Logger } from '../logger.ts';
import type { AppendBatch, AppendResult, DocStore, Snapshot, StoredDoc, StoredHead } from './doc-store.ts';
import { commitInOneStatement, type CommitRows } from './commit-statement.ts';
import type { BatchEffects } from './effects.ts';
import { chunks, writeEffects } from './effects-writer.ts';

const UPDATE_ROWS_PER_STATEMENT = 5000;
/** Batches of other projects join a combined statement while it holds fewer log rows than this, */
const MAX_UPDATES_PER_STATEMENT = 5000;
/**
 * and fewer update bytes than this. Each byte is sent as base64 text inside a JSON parameter and copied into
 * postgres.js's message, so a statement combining the first pushes of 1,000 rooms of 10 kB made buffers of
 * megabytes; freed, they left holes in malloc's heap that it never gave back. Bench scenario 4, four paired
 * runs: RSS once every room unloaded 122-138 MB -> 122-124 (baseline ~112), RSS per loaded room 98-141 kB -> 92-110.
 */
const MAX_UPDATE_BYTES_PER_STATEMENT = 256 * 1024;
/**
 * Paced commit statements in flight at once. PostgreSQL's cost per statement dwarfs its cost per row: on the
 * bench machine a statement writing one title edit (log row, task upsert, activity row) takes ~450 us of
 * backend CPU, ten rooms' edits in one statement ~140 us per edit. When every room flushed as soon as its own
 * previous commit landed, 1,000 updates/s over 10 rooms were ~0.8 statements per update. Paired runs of the
 * bench scenario 3 layout (10 rooms x 5 clients), CPU per update before -> after: at 1,000/s PostgreSQL 590-610
 * -> 445-465 us and the server 440 -> 400; at 2,000/s PostgreSQL 305-340 -> 200-215 and the server 260-270 ->
 * 225-240. Two in flight (measured too) cost PostgreSQL ~30% more per update than one.
 */
const STATEMENTS_IN_FLIGHT = 1;

function projectKey(w: Waiting): string {
  return w.rows.projectId.toLowerCase();
}

interface Waiting {
  rows: CommitRows;
  /** Bytes of the batch's updates. */
  bytes: number;
  /** A batch carrying a full projection resync: written on its own (appendWithResync). */
  resync?: { batch: AppendBatch; effects: BatchEffects };
  resolve: (result: AppendResult) => void;
  reject: (error: Error) => void;
}

interface WaitingHead {
  /** Lower-case project id. */
  projectId: string;
  resolve: (head: StoredHead) => void;
  reject: (error: unknown) => void;
}

export class PgDocStore implements DocStore {
  private waiting: Waiting[] = [];
  private waitingHeads: WaitingHead[] = [];
  /** Projects (lower-case ids) with a statement in flight. */
  private readonly inflight = new Set<string>();
  private scheduled = false;
  /** Paced commit statements sent and not yet answered (heavy batches go alone, outside this count). */
  private statements = 0;
  private turnWaiters: (() => void)[] = [];

  constructor(
    private readonly sql: Sql,
    private readonly logger?: Logger,
  ) {}

  /**
   * Undefined when a batch handed over now goes out in the next statement; otherwise resolves when a statement
   * in flight lands, so a room cuts its batch then and joins the others in one statement.
   */
  commitTurn(): Promise<void> | undefined {
    if (this.statements < STATEMENTS_IN_FLIGHT) return undefined;
    return new Promise((resolve) => this.turnWaiters.push(resolve));
  }

  private statementDone(): void {
    this.statements--;
    const waiters = this.turnWaiters;
    this.turnWaiters = [];
    for (const w of waiters) w();
    this.schedule();
  }

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

  /**
   * The heads of every room that starts loading in one event-loop turn are read with one statement (1,000
   * sockets opening 500 cold documents at once: a few dozen statements, not 500; postgres.js spends ~0.1 ms of
   * CPU per statement, PostgreSQL about as much).
   */
  loadHead(projectId: string): Promise<StoredHead> {
    return new Promise((resolve, reject) => {
      if (this.waitingHeads.length === 0) setImmediate(this.readWaitingHeads);
      this.waitingHeads.push({ projectId: projectId.toLowerCase(), resolve, reject });
    });
  }

  private readonly readWaitingHeads = () => {
    const waiting = this.waitingHeads;
    this.waitingHeads = [];
    // An id that is not a UUID fails alone (PostgreSQL would refuse the whole statement's uuid[]).
    const batch: WaitingHead[] = [];
    for (const w of waiting) {
      if (isUuid(w.projectId)) batch.push(w);
      else w.reject(new Error(`not a project id: ${w.projectId}`));
    }
    if (batch.length === 0) return;
    this.readHeads([...new Set(batch.map((w) => w.projectId))]).then(
      (heads) => batch.forEach((w) => w.resolve(heads.get(w.projectId) ?? { snapshot: null, updates: [] })),
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    );
  };

  private async readHeads(projectIds: string[]): Promise<Map<string, StoredHead>> {
    // One statement (one round trip, one consistent view): per project, the snapshot's row first (part 0, if
    // any), then the log rows after it in id order (part 1).
    const rows = await this.sql<{ project: string; part: number; id: string; a: Buffer; b: Buffer | null }[]>`
      WITH p AS (SELECT DISTINCT unnest(${projectIds}::uuid[]) AS project_id),
      snap AS (SELECT s.project_id, s.state_vector, s.delete_set, s.last_update_id FROM yjs_snapshots s JOIN p USING (project_id))
      SELECT project_id::text AS project, 0 AS part, 0::bigint AS n, last_update_id::text AS id, state_vector AS a, delete_set AS b FROM snap
      UNION ALL
      SELECT p.project_id::text, 1, u.id, u.id::text, u.update, NULL FROM p JOIN yjs_updates u ON u.project_id = p.project_id
      WHERE u.id > COALESCE((SELECT last_update_id FROM snap WHERE snap.project_id = p.project_id), 0)
      ORDER BY project, part, n`;
    const heads = new Map<string, StoredHead>();
    for (const r of rows) {
      let head = heads.get(r.project);
      if (!head) heads.set(r.project, (head = { snapshot: null, updates: [] }));
      if (r.part === 0) head.snapshot = { stateVector: toBytes(r.a), deleteSet: r.b ? toBytes(r.b) : null, lastUpdateId: r.id };
      else head.updates.push({ id: r.id, update: toBytes(r.a) });
    }
    return heads;
  }

  async loadSnapshotState(projectId: string, lastUpdateId: string): Promise<Uint8Array | null> {
    const rows = await this.sql<{ state: Buffer }[]>`
      SELECT state FROM yjs_snapshots WHERE project_id = ${projectId} AND last_update_id = ${lastUpdateId}::bigint`;
    return rows[0] ? toBytes(rows[0].state) : null;
  }

  append(batch: AppendBatch): Promise<AppendResult> {
    if (batch.updates.length === 0) return Promise.reject(new Error('append: empty batch'));
    const effects = batch.effects;
    const rows: CommitRows = { projectId: batch.projectId, updates: batch.updates, changes: effects?.changes ?? [], activity: effects?.activity ?? [] };
    // A full projection resync replaces every row of the project: the rare repair path, in its own transaction
    // (still in turn with the project's other batches).
    const resync = effects?.fullResync ? { batch, effects } : undefined;
    return new Promise((resolve, reject) => {
      this.waiting.push({ rows, bytes: batch.updates.reduce((n, u) => n + u.update.byteLength, 0), resync, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(this.commitWaiting);
  }

  /**
   * Every batch handed over since the last statement went out (rooms flush on setImmediate or when the
   * statement in flight lands, so all rooms with news by then) goes into one statement: 500 rooms with one edit
   * each are one round trip, not 500. A heavy batch (a full projection resync, or more updates than a combined
   * statement takes: a device pushing days of offline work) goes alone, right away and outside the pacing, so
   * the other rooms' commits never queue behind it. A batch of a project that already has a statement in
   * flight, or an earlier batch held back, waits, so one project's log rows always land in the order they were
   * handed over (a room never has two batches in flight, but the store does not rely on it).
   */
  private commitWaiting = () => {
    this.scheduled = false;
    const paced = this.statements < STATEMENTS_IN_FLIGHT;
    const group: Waiting[] = [];
    const held: Waiting[] = [];
    const heldKeys = new Set<string>();
    const hold = (w: Waiting, key: string) => {
      held.push(w);
      heldKeys.add(key);
    };
    let updates = 0;
    let bytes = 0;
    for (const w of this.waiting) {
      const key = projectKey(w);
      if (this.inflight.has(key) || heldKeys.has(key)) hold(w, key);
      else if (w.resync || w.bytes > MAX_UPDATE_BYTES_PER_STATEMENT || w.rows.updates.length > MAX_UPDATES_PER_STATEMENT) this.commitAlone(w, key);
      else if (!paced || (group.length > 0 && (updates + w.rows.updates.length > MAX_UPDATES_PER_STATEMENT || bytes + w.bytes > MAX_UPDATE_BYTES_PER_STATEMENT))) hold(w, key);
      else {
        this.inflight.add(key);
        updates += w.rows.updates.length;
        bytes += w.bytes;
        group.push(w);
      }
    }
    this.waiting = held;
    if (group.length === 0) return; // what waits is released by a statement in flight, which reschedules
    this.statements++;
    void this.commitGroup(group).finally(() => {
      for (const w of group) this.inflight.delete(projectKey(w));
      this.statementDone();
    });
    // Held only for size or order (not for a project in flight): another statement now if one more may go,
    // else when this one lands (statementDone).
    if (this.statements < STATEMENTS_IN_FLIGHT && held.some((w) => !this.inflight.has(projectKey(w)))) this.schedule();
  };

  private commitAlone(w: Waiting, key: string): void {
    this.inflight.add(key);
    const written = w.resync ? this.appendWithResync(w.resync.batch, w.resync.effects) : this.commitOne(w.rows);
    void written
      .then(w.resolve, w.reject)
      .finally(() => {
        this.inflight.delete(key);
        this.schedule();
      });
  }

  private async commitGroup(group: Waiting[]): Promise<void> {
    if (group.length > 1) {
      try {
        const lastIds = await commitInOneStatement(this.sql, group.map((w) => w.rows));
        for (const w of group) w.resolve({ lastId: lastIds.get(w.rows.projectId.toLowerCase())!, effectsFailed: false });
        return;
      } catch (error) {
        if (!(error instanceof postgres.PostgresError)) {
          for (const w of group) w.reject(error as Error);
          return;
        }
        // One batch's projection was refused (or a deadlock): each batch on its own, so only that one's
        // projections need a resync.
      }
    }
    await Promise.all(group.map((w) => this.commitOne(w.rows).then(w.resolve, w.reject)));
  }

  private async commitOne(rows: CommitRows): Promise<AppendResult> {
    const lastId = (ids: Map<string, string>) => ids.get(rows.projectId.toLowerCase())!;
    try {
      return { lastId: lastId(await commitInOneStatement(this.sql, [rows])), effectsFailed: false };
    } catch (error) {
      // PostgreSQL refused the statement (a projection value a buggy client wrote that a column rejects):
      // the log rows must still land, alone, and the projections are resynced with the next commit. Anything
      // else (connection lost, server gone) is thrown for the queue to retry the whole batch.
      const hadEffects = rows.changes.length > 0 || rows.activity.length > 0;
      if (!hadEffects || !(error instanceof postgres.PostgresError)) throw error;
      this.logger?.error({ err: error.message, projectId: rows.projectId }, 'projection/activity write failed; log rows kept, full resync scheduled');
      return { lastId: lastId(await commitInOneStatement(this.sql, [{ ...rows, changes: [], activity: [] }])), effectsFailed: true };
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
