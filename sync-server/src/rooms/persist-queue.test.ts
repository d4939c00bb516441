import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import type { AppendBatch, AppendResult } from '../persistence/doc-store.ts';
import { MemoryDocStore } from '../persistence/memory-doc-store.ts';
import { PersistQueue } from './persist-queue.ts';

const logger = createLogger('silent');
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const update = (n: number) => new Uint8Array([n]);

/**
 * A memory store that paces commits like PgDocStore: batches handed over go out together as one "statement"
 * on setImmediate, one statement in flight at a time, which lands when the test says so.
 */
class PacedStore extends MemoryDocStore {
  /** The batches of each statement sent, as the first byte of each update. */
  statements: number[][][] = [];
  private waiting: { batch: AppendBatch; resolve: (r: AppendResult) => void }[] = [];
  private inFlight: { batch: AppendBatch; resolve: (r: AppendResult) => void }[] | null = null;
  private turnWaiters: (() => void)[] = [];

  commitTurn(): Promise<void> | undefined {
    if (!this.inFlight) return undefined;
    return new Promise((resolve) => this.turnWaiters.push(resolve));
  }

  override append(batch: AppendBatch): Promise<AppendResult> {
    return new Promise((resolve) => {
      this.waiting.push({ batch, resolve });
      setImmediate(() => this.send());
    });
  }

  private send(): void {
    if (this.inFlight || this.waiting.length === 0) return;
    this.inFlight = this.waiting;
    this.waiting = [];
    this.statements.push(this.inFlight.map((w) => w.batch.updates.map((u) => u.update[0]!)));
  }

  /** Lets the statement in flight land. */
  async land(): Promise<void> {
    const landing = this.inFlight ?? [];
    for (const w of landing) w.resolve(await super.append(w.batch));
    this.inFlight = null;
    const waiters = this.turnWaiters;
    this.turnWaiters = [];
    for (const w of waiters) w();
    setImmediate(() => this.send());
  }
}

function queueOn(store: PacedStore, projectId: string, committed: number[][]) {
  let clock = 0;
  return new PersistQueue({
    projectId,
    store,
    logger,
    captureStateVector: () => new Uint8Array([clock++]),
    onCommitted: (_sv, batch) => committed.push(batch.map((u) => u.update[0]!)),
  });
}

describe('PersistQueue with a store that paces commits', () => {
  it('cuts its batch when its turn comes, so it holds every update queued while another commit ran', async () => {
    const store = new PacedStore();
    const committedA: number[][] = [];
    const committedB: number[][] = [];
    const a = queueOn(store, 'a', committedA);
    const b = queueOn(store, 'b', committedB);
    a.enqueue({ update: update(1), userId: null, queuedAt: 0 });
    await nextTurn();
    await nextTurn();
    expect(store.statements).toEqual([[[1]]]);
    // While that statement is in flight, room b queues three updates in three turns, and room a one more.
    for (const n of [10, 11, 12]) {
      b.enqueue({ update: update(n), userId: null, queuedAt: 0 });
      await nextTurn();
    }
    a.enqueue({ update: update(2), userId: null, queuedAt: 0 });
    await nextTurn();
    expect(store.statements).toHaveLength(1);
    expect(b.idle).toBe(false);
    await store.land();
    await nextTurn();
    await nextTurn();
    // Both rooms cut their batches when it landed, and they went out together: b's three updates as one batch.
    expect(store.statements).toHaveLength(2);
    expect(store.statements[1]!.sort()).toEqual([[10, 11, 12], [2]].sort());
    expect(committedA).toEqual([[1]]);
    await store.land();
    await Promise.all([a.whenIdle(), b.whenIdle()]);
    expect(committedA).toEqual([[1], [2]]);
    expect(committedB).toEqual([[10, 11, 12]]);
    expect(store.rowCount('a') + store.rowCount('b')).toBe(5);
  });

  it('does nothing when its turn comes after it was closed', async () => {
    const store = new PacedStore();
    const a = queueOn(store, 'a', []);
    const b = queueOn(store, 'b', []);
    a.enqueue({ update: update(1), userId: null, queuedAt: 0 });
    await nextTurn();
    await nextTurn();
    b.enqueue({ update: update(2), userId: null, queuedAt: 0 });
    await nextTurn();
    b.close();
    await store.land();
    await a.whenIdle();
    await nextTurn();
    await nextTurn();
    expect(store.statements).toEqual([[[1]]]);
  });
});
