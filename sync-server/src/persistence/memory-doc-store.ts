// In-memory DocStore for tests: same contract as the PostgreSQL one, plus fault injection.
import type { AppendBatch, DocStore, Snapshot, StoredDoc, StoredHead, StoredUpdate } from './doc-store.ts';
import { compareIds } from './doc-store.ts';

interface Entry {
  snapshot: Snapshot | null;
  updates: (StoredUpdate & { userId: string | null })[];
}

export class MemoryDocStore implements DocStore {
  private readonly docs = new Map<string, Entry>();
  private nextId = 1n;
  /** Set to make the next calls fail (tests of retries and refused loads). */
  faults: { append?: () => Error | undefined; load?: () => Error | undefined } = {};
  appendCalls = 0;

  private entry(projectId: string): Entry {
    let e = this.docs.get(projectId);
    if (!e) {
      e = { snapshot: null, updates: [] };
      this.docs.set(projectId, e);
    }
    return e;
  }

  async load(projectId: string): Promise<StoredDoc> {
    await Promise.resolve();
    const fault = this.faults.load?.();
    if (fault) throw fault;
    const e = this.entry(projectId);
    return {
      snapshot: e.snapshot ? { state: e.snapshot.state.slice(), lastUpdateId: e.snapshot.lastUpdateId } : null,
      updates: e.updates.map((u) => ({ id: u.id, update: u.update.slice() })),
    };
  }

  async loadHead(projectId: string): Promise<StoredHead> {
    await Promise.resolve();
    const fault = this.faults.load?.();
    if (fault) throw fault;
    const e = this.entry(projectId);
    const snap = e.snapshot;
    return {
      snapshot: snap ? { stateVector: snap.stateVector.slice(), deleteSet: snap.deleteSet.slice(), lastUpdateId: snap.lastUpdateId } : null,
      updates: e.updates.map((u) => ({ id: u.id, update: u.update.slice() })),
    };
  }

  async loadSnapshotState(projectId: string, lastUpdateId: string): Promise<Uint8Array | null> {
    await Promise.resolve();
    const fault = this.faults.load?.();
    if (fault) throw fault;
    const snap = this.entry(projectId).snapshot;
    return snap && snap.lastUpdateId === lastUpdateId ? snap.state.slice() : null;
  }

  async append(batch: AppendBatch): Promise<{ lastId: string }> {
    this.appendCalls++;
    await Promise.resolve();
    const fault = this.faults.append?.();
    if (fault) throw fault;
    const e = this.entry(batch.projectId);
    let lastId = '0';
    for (const u of batch.updates) {
      lastId = String(this.nextId++);
      e.updates.push({ id: lastId, update: u.update.slice(), userId: u.userId });
    }
    return { lastId };
  }

  async compact(projectId: string, snapshot: Snapshot): Promise<void> {
    await Promise.resolve();
    const e = this.entry(projectId);
    if (e.snapshot && compareIds(e.snapshot.lastUpdateId, snapshot.lastUpdateId) > 0) return;
    e.snapshot = { ...snapshot, state: snapshot.state.slice() };
    e.updates = e.updates.filter((u) => compareIds(u.id, snapshot.lastUpdateId) > 0);
  }

  /** Test helper: append a raw row (e.g. a poison pill) as if an older server had written it. */
  injectRow(projectId: string, update: Uint8Array): string {
    const id = String(this.nextId++);
    this.entry(projectId).updates.push({ id, update, userId: null });
    return id;
  }

  rowCount(projectId: string): number {
    return this.entry(projectId).updates.length;
  }
}
