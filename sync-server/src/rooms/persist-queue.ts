// Group commit for one room. Updates are queued as the document produces them; whenever no write is in
// flight, everything queued so far goes to the store in ONE transaction. Relaying never waits for this.
// When the store paces commits (DocStore.commitTurn: PostgreSQL sends one statement at a time), the batch is
// cut when its turn comes, so it holds everything that arrived while the statement before it ran.
//
// Invariants:
//  - Batches are written in document order and a failed batch is retried (with backoff) before anything
//    queued after it, so the log is always a prefix of the document's history.
//  - `onCommitted` receives the state vector captured when the batch was cut. Every update the document had
//    emitted at that instant is in the batch (the queue is drained whole), so that vector is exactly what is
//    now durable: the "saved" acknowledgement never covers unwritten data.
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { DocStore } from '../persistence/doc-store.ts';
import type { ActivityEntry, BatchEffects, ProjectionChanges } from '../persistence/effects.ts';

export interface QueuedUpdate {
  update: Uint8Array;
  userId: string | null;
  changes?: ProjectionChanges;
  activity?: ActivityEntry[];
  /** performance.now() when queued, for the saved-ack latency histogram. */
  queuedAt: number;
}

export interface PersistQueueOptions {
  projectId: string;
  store: DocStore;
  logger: Logger;
  metrics?: Metrics;
  /** The document's state vector right now (called synchronously when a batch is cut). */
  captureStateVector: () => Uint8Array;
  onCommitted: (stateVector: Uint8Array, batch: QueuedUpdate[], lastId: string) => void;
  /** Extra effects for the next batch (e.g. a full projection resync); called when a batch is cut. */
  takeExtraEffects?: () => Partial<BatchEffects> | undefined;
  onEffectsFailed?: () => void;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export class PersistQueue {
  private pending: QueuedUpdate[] = [];
  private inflight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private scheduled = false;
  /** Waiting for the store's commit turn (the batch is cut when it comes). */
  private awaitingTurn = false;
  private failures = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  lastError: Error | null = null;

  constructor(private readonly opts: PersistQueueOptions) {}

  get size(): number {
    return this.pending.length;
  }

  /** Nothing queued and nothing being written. */
  get idle(): boolean {
    return this.pending.length === 0 && this.inflight === null;
  }

  enqueue(entry: QueuedUpdate): void {
    this.pending.push(entry);
    this.schedule(0);
  }

  /** Resolves once everything queued so far (and anything queued meanwhile) is written. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (this.closed || this.inflight || this.scheduled || this.awaitingTurn || this.pending.length === 0) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.timer = null;
      this.flush();
    };
    // setImmediate lets updates arriving in the same I/O turn join the batch.
    if (delayMs === 0) setImmediate(run);
    else this.timer = setTimeout(run, delayMs);
  }

  private flush(): void {
    if (this.closed || this.inflight || this.awaitingTurn || this.pending.length === 0) return;
    const turn = this.opts.store.commitTurn?.();
    if (turn) {
      this.awaitingTurn = true;
      void turn.then(() => {
        this.awaitingTurn = false;
        this.flush();
      });
      return;
    }
    const batch = this.pending;
    this.pending = [];
    const stateVector = this.opts.captureStateVector();
    const extra = this.opts.takeExtraEffects?.();
    const effects = collectEffects(batch, extra);
    const started = performance.now();
    const { store, projectId, metrics } = this.opts;
    // Through then(): a store that throws instead of rejecting fails this batch (retried), not the process.
    this.inflight = Promise.resolve()
      .then(() => store.append({ projectId, updates: batch.map((u) => ({ update: u.update, userId: u.userId })), effects }))
      .then(
        ({ lastId, effectsFailed }) => {
          if (effectsFailed) this.opts.onEffectsFailed?.();
          this.failures = 0;
          this.lastError = null;
          metrics?.persistBatchSize.observe(batch.length);
          metrics?.persistLatency.observe((performance.now() - started) / 1000);
          this.inflight = null;
          this.opts.onCommitted(stateVector, batch, lastId);
        },
        (error: Error) => {
          this.inflight = null;
          this.failures++;
          this.lastError = error;
          metrics?.persistFailures.inc();
          // Keep the batch at the head: order is the invariant that makes the saved vector honest.
          this.pending = batch.concat(this.pending);
          const base = this.opts.retryBaseMs ?? 100;
          const delay = Math.min(this.opts.retryMaxMs ?? 5000, base * 2 ** Math.min(this.failures - 1, 10));
          this.opts.logger.error({ err: error.message, projectId, updates: batch.length, attempt: this.failures, retryInMs: delay }, 'persisting updates failed; will retry');
          this.schedule(delay);
        },
      )
      .finally(() => {
        // Updates that arrived during the commit are cut now, not on setImmediate: the store sends its next
        // statement on setImmediate, and they should be in it. After a failure the retry timer is already set.
        if (this.pending.length > 0) {
          if (this.failures === 0) this.flush();
        } else if (!this.inflight) this.notifyIdle();
      });
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function collectEffects(batch: QueuedUpdate[], extra: Partial<BatchEffects> | undefined): BatchEffects | undefined {
  const changes: ProjectionChanges[] = [];
  const activity: ActivityEntry[] = [];
  let any = false;
  for (const u of batch) {
    if (u.changes) { changes.push(u.changes); any = true; }
    if (u.activity?.length) { activity.push(...u.activity); any = true; }
  }
  if (extra?.fullResync) any = true;
  if (!any) return undefined;
  return { changes, activity, ...(extra?.fullResync ? { fullResync: extra.fullResync } : {}) };
}
