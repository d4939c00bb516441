// A returning client of a cold document is answered from the stored head before the document is loaded
// (rooms/stored-head.ts), and a new device from the stored snapshot and head while it loads, over a real
// socket with a stock y-websocket client. The snapshot's state read is held back by the test, so "answered
// before the load" is a fact checked, not a timing.
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { SyncStep } from '../rooms/messages.ts';
import { MemoryDocStore } from '../persistence/memory-doc-store.ts';
import { snapshotOf } from '../rooms/stored-head.ts';
import type { TestUser } from '../test/fixtures.ts';
import { connectProvider, startSyncHarness, waitFor, waitSynced, type SyncHarness } from './test-sync-server.ts';

/** The memory store, with the snapshot-state read (the heavy part of a load) gated by the test. */
class GatedStore extends MemoryDocStore {
  gate: Promise<void> = Promise.resolve();
  stateReads = 0;
  /** The next state read finds the snapshot replaced (a compaction elsewhere between head and state). */
  replacedOnce = false;
  override async loadSnapshotState(projectId: string, lastUpdateId: string): Promise<Uint8Array | null> {
    this.stateReads++;
    await this.gate;
    if (this.replacedOnce) {
      this.replacedOnce = false;
      return null;
    }
    return super.loadSnapshotState(projectId, lastUpdateId);
  }
}

/** Records the step of every sync message the provider receives, in order. */
function recordSyncSteps(provider: WebsocketProvider): number[] {
  const steps: number[] = [];
  const handle = provider.messageHandlers[0]!;
  provider.messageHandlers[0] = (encoder, decoder, ...rest) => {
    steps.push(decoding.peekVarUint(decoder));
    handle(encoder, decoder, ...rest);
  };
  return steps;
}

let h: SyncHarness;
let store: GatedStore;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  store = new GatedStore();
  // Every unload compacts (snapshots with delete sets are what the cold path answers from).
  h = await startSyncHarness({ store: () => store, sync: { roomIdleMs: 30 }, room: { unloadCompactRows: 1 } });
  [alice, bob] = await Promise.all([h.user(), h.user()]);
});
afterAll(() => h.close());

async function metric(name: string): Promise<number> {
  return (await h.deps.metrics.registry.getSingleMetric(name)!.get()).values[0]?.value ?? 0;
}

/** The last saved message covers everything this client wrote. */
function allSaved(c: { doc: Y.Doc; saved: Uint8Array[] }): boolean {
  const last = c.saved.at(-1);
  return !!last && Y.decodeStateVector(last).get(c.doc.clientID) === Y.getState(c.doc.store, c.doc.clientID);
}

function tasks(doc: Y.Doc) {
  return doc.getMap<Y.Map<string>>('tasks');
}

describe('cold sync from the stored head', () => {
  it('answers a returning client before the load; its offline edit is saved once the room has loaded', async () => {
    const projectId = await h.project([[alice, 'ADMIN'], [bob, 'MEMBER']]);
    // Alice builds the board online, then the room unloads (and compacts: a snapshot with a delete set).
    const a = connectProvider(h.wsUrl, projectId, alice.token);
    await waitSynced(a.provider);
    for (let i = 0; i < 30; i++) tasks(a.doc).set(`t${i}`, new Y.Map<string>([['title', `task ${i}`]]));
    tasks(a.doc).delete('t7');
    await waitFor(() => allSaved(a), 3000, 'saved');
    a.provider.disconnect();
    // While Alice is away, Bob deletes a task: a delete-only change, so her state vector still covers the
    // snapshot and only the snapshot's delete set tells her (it must be applied by the time she is synced).
    const bobOnline = connectProvider(h.wsUrl, projectId, bob.token);
    await waitSynced(bobOnline.provider);
    const savedBeforeDelete = bobOnline.saved.length;
    tasks(bobOnline.doc).delete('t8');
    await waitFor(() => bobOnline.saved.length > savedBeforeDelete, 3000, "bob's deletion saved");
    bobOnline.provider.destroy();
    await waitFor(() => !h.registry.get(projectId) && store.rowCount(projectId) === 0, 5000, 'unload with compaction');
    // Bob's change arrives in the log after the snapshot (as rows written by an earlier server run).
    const b = new Y.Doc();
    const head = await store.loadHead(projectId);
    expect(head.snapshot?.deleteSet).toBeTruthy();
    Y.applyUpdate(b, (await store.load(projectId)).snapshot!.state);
    const bobRows: Uint8Array[] = [];
    b.on('update', (u: Uint8Array) => bobRows.push(u));
    tasks(b).get('t1')!.set('title', 'renamed by bob');
    tasks(b).delete('t2');
    await store.append({ projectId, updates: bobRows.map((update) => ({ update, userId: bob.id })) });
    // Alice edits offline, then comes back while the document is cold and its state read is held.
    tasks(a.doc).get('t3')!.set('title', 'offline edit');
    let release!: () => void;
    store.gate = new Promise((resolve) => (release = resolve));
    const before = await metric('fieldboard_sync_head_syncs_total');
    const readsBefore = store.stateReads;
    // Checked inside the event: the deletion must already be applied when the client declares itself synced.
    let t8WhenSynced: boolean | undefined;
    a.provider.once('sync', () => (t8WhenSynced = tasks(a.doc).has('t8')));
    a.provider.connect();
    try {
      await waitSynced(a.provider);
      expect(t8WhenSynced).toBe(false);
      expect(h.registry.get(projectId)).toBeUndefined(); // not loaded: answered from the head
      expect(store.stateReads).toBe(readsBefore + 1); // the load is waiting on the snapshot state
      expect(await metric('fieldboard_sync_head_syncs_total')).toBe(before + 1);
      expect(tasks(a.doc).get('t1')!.get('title')).toBe('renamed by bob');
      expect(tasks(a.doc).has('t2')).toBe(false);
      expect(tasks(a.doc).has('t7')).toBe(false);
      expect(tasks(a.doc).has('t8')).toBe(false);
      const savedBefore = a.saved.length;
      release();
      // The offline edit, sent while the room loaded, is applied and acknowledged once it has.
      await waitFor(() => a.saved.length > savedBefore && allSaved(a), 5000, 'offline edit saved');
      const fresh = connectProvider(h.wsUrl, projectId, bob.token, new Y.Doc(), 'y-websocket');
      try {
        await waitSynced(fresh.provider);
        expect(tasks(fresh.doc).get('t3')!.get('title')).toBe('offline edit');
        expect(tasks(fresh.doc).toJSON()).toEqual(tasks(a.doc).toJSON());
      } finally {
        fresh.provider.destroy();
      }
    } finally {
      release();
      a.provider.destroy();
    }
  });

  /** A compacted project of Alice's with tasks t0-t4 (t2 deleted), and Bob's rename of t1 in the log after it. */
  async function compactedWithRows(): Promise<string> {
    const projectId = await h.project([[alice, 'ADMIN'], [bob, 'MEMBER']]);
    const a = connectProvider(h.wsUrl, projectId, alice.token);
    await waitSynced(a.provider);
    for (let i = 0; i < 5; i++) tasks(a.doc).set(`t${i}`, new Y.Map<string>([['title', `task ${i}`]]));
    tasks(a.doc).delete('t2');
    await waitFor(() => allSaved(a), 3000, 'saved');
    a.provider.destroy();
    await waitFor(() => !h.registry.get(projectId) && store.rowCount(projectId) === 0, 5000, 'unload with compaction');
    const b = new Y.Doc();
    Y.applyUpdate(b, (await store.load(projectId)).snapshot!.state);
    const rows: Uint8Array[] = [];
    b.on('update', (u: Uint8Array) => rows.push(u));
    tasks(b).get('t1')!.set('title', 'renamed by bob');
    await store.append({ projectId, updates: rows.map((update) => ({ update, userId: bob.id })) });
    return projectId;
  }

  it('answers a new device from the stored snapshot while the document loads, with one read of the snapshot', async () => {
    const projectId = await compactedWithRows();
    let release!: () => void;
    store.gate = new Promise((resolve) => (release = resolve));
    const headSyncs = await metric('fieldboard_sync_head_syncs_total');
    const snapshotSyncs = await metric('fieldboard_sync_head_snapshot_syncs_total');
    const readsBefore = store.stateReads;
    const fresh = connectProvider(h.wsUrl, projectId, bob.token);
    const steps = recordSyncSteps(fresh.provider);
    try {
      await waitFor(() => store.stateReads === readsBefore + 1, 3000, 'the snapshot read');
      expect(fresh.provider.synced).toBe(false);
      release();
      await waitSynced(fresh.provider);
      // The snapshot as stored, then the step 2 with the log rows, then our step 1: not the loaded room's
      // greeting (our step 1 first, the whole document re-encoded in the step 2 after it).
      expect(steps.slice(0, 3)).toEqual([SyncStep.Update, SyncStep.Step2, SyncStep.Step1]);
      expect(tasks(fresh.doc).get('t1')!.get('title')).toBe('renamed by bob');
      expect([...tasks(fresh.doc).keys()].sort()).toEqual(['t0', 't1', 't3', 't4']);
      expect(await metric('fieldboard_sync_head_snapshot_syncs_total')).toBe(snapshotSyncs + 1);
      expect(await metric('fieldboard_sync_head_syncs_total')).toBe(headSyncs);
      await waitFor(() => h.registry.get(projectId) !== undefined, 3000, 'the room loaded');
      expect(store.stateReads).toBe(readsBefore + 1); // the load used the same read
      // The new device writes once the room is there; its change is saved.
      tasks(fresh.doc).get('t0')!.set('title', 'from the new device');
      await waitFor(() => allSaved(fresh), 3000, "the new device's edit saved");
    } finally {
      release();
      fresh.provider.destroy();
    }
  });

  it('a new device is answered by the loaded room when the snapshot was replaced between head and state', async () => {
    const projectId = await compactedWithRows();
    store.replacedOnce = true;
    const snapshotSyncs = await metric('fieldboard_sync_head_snapshot_syncs_total');
    const fresh = connectProvider(h.wsUrl, projectId, bob.token);
    const steps = recordSyncSteps(fresh.provider);
    try {
      await waitSynced(fresh.provider);
      // The loaded room answers (its whole document in the step 2, then its step 1), not the stored snapshot in
      // an update frame ahead.
      expect(steps.slice(0, 2)).toEqual([SyncStep.Step2, SyncStep.Step1]);
      expect(tasks(fresh.doc).get('t1')!.get('title')).toBe('renamed by bob');
      expect([...tasks(fresh.doc).keys()].sort()).toEqual(['t0', 't1', 't3', 't4']);
      expect(await metric('fieldboard_sync_head_snapshot_syncs_total')).toBe(snapshotSyncs);
    } finally {
      store.replacedOnce = false;
      fresh.provider.destroy();
    }
  });

  it('a project large enough to load in steps syncs a new device and a returning one, and saves their edits', async () => {
    // 3,000 tasks with long titles: a snapshot of about 450 kB (over the 256 kB loaded in steps), one log row after.
    const projectId = await h.project([[alice, 'ADMIN'], [bob, 'MEMBER']]);
    const built = new Y.Doc();
    built.transact(() => {
      for (let i = 0; i < 3000; i++) tasks(built).set(`t${i}`, new Y.Map<string>([['title', `task ${i} ${'of a large board '.repeat(8)}`]]));
    });
    for (let i = 0; i < 3000; i += 7) tasks(built).delete(`t${i}`);
    const first = await store.append({ projectId, updates: [{ update: Y.encodeStateAsUpdate(built), userId: alice.id }] });
    const snapshot = snapshotOf(built);
    expect(snapshot.state.length).toBeGreaterThan(256 * 1024);
    await store.compact(projectId, { ...snapshot, lastUpdateId: first.lastId, updateCount: 1 });
    const returning = new Y.Doc();
    Y.applyUpdate(returning, snapshot.state);
    const rows: Uint8Array[] = [];
    built.on('update', (u: Uint8Array) => rows.push(u));
    tasks(built).get('t1')!.set('title', 'renamed after the snapshot');
    await store.append({ projectId, updates: rows.map((update) => ({ update, userId: bob.id })) });
    tasks(returning).get('t2')!.set('title', 'offline edit');

    const inSteps = async () => (await h.deps.metrics.registry.getSingleMetric('fieldboard_sync_stepped_loads_total')!.get()).values.find((v) => v.labels.outcome === 'steps')?.value ?? 0;
    const steppedBefore = await inSteps();
    const fresh = connectProvider(h.wsUrl, projectId, bob.token);
    const back = connectProvider(h.wsUrl, projectId, alice.token, returning);
    try {
      await Promise.all([waitSynced(fresh.provider), waitSynced(back.provider)]);
      await waitFor(() => h.registry.get(projectId) !== undefined && allSaved(back), 10_000, 'loaded, offline edit saved');
      expect(await inSteps()).toBe(steppedBefore + 1);
      tasks(fresh.doc).get('t3')!.set('title', 'from the new device');
      await waitFor(() => allSaved(fresh) && tasks(back.doc).get('t3')?.get('title') === 'from the new device', 5000, 'relayed and saved');
      await waitFor(() => tasks(fresh.doc).get('t2')?.get('title') === 'offline edit', 5000, 'the offline edit relayed');
      expect(tasks(fresh.doc).size).toBe(3000 - 429);
      expect(tasks(fresh.doc).get('t1')!.get('title')).toBe('renamed after the snapshot');
      expect(tasks(fresh.doc).toJSON()).toEqual(tasks(back.doc).toJSON());
      expect(tasks(h.registry.get(projectId)!.doc).toJSON()).toEqual(tasks(fresh.doc).toJSON());
    } finally {
      fresh.provider.destroy();
      back.provider.destroy();
    }
  });
});

