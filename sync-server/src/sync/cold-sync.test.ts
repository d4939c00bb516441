// A returning client of a cold document is answered from the stored head before the document is loaded
// (rooms/stored-head.ts), over a real socket with a stock y-websocket client. The snapshot's state read is
// held back by the test, so "answered before the load" is a fact checked, not a timing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MemoryDocStore } from '../persistence/memory-doc-store.ts';
import type { TestUser } from '../test/fixtures.ts';
import { connectProvider, startSyncHarness, waitFor, waitSynced, type SyncHarness } from './test-sync-server.ts';

/** The memory store, with the snapshot-state read (the heavy part of a load) gated by the test. */
class GatedStore extends MemoryDocStore {
  gate: Promise<void> = Promise.resolve();
  stateReads = 0;
  override async loadSnapshotState(projectId: string, lastUpdateId: string): Promise<Uint8Array | null> {
    this.stateReads++;
    await this.gate;
    return super.loadSnapshotState(projectId, lastUpdateId);
  }
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

  it('a client without the snapshot content (a new device) waits for the load and gets everything', async () => {
    const projectId = await h.project([[alice, 'ADMIN']]);
    const a = connectProvider(h.wsUrl, projectId, alice.token);
    await waitSynced(a.provider);
    for (let i = 0; i < 5; i++) tasks(a.doc).set(`t${i}`, new Y.Map<string>([['title', `task ${i}`]]));
    await waitFor(() => allSaved(a), 3000, 'saved');
    a.provider.destroy();
    await waitFor(() => !h.registry.get(projectId) && store.rowCount(projectId) === 0, 5000, 'unload with compaction');
    const before = await metric('fieldboard_sync_head_syncs_total');
    const fresh = connectProvider(h.wsUrl, projectId, alice.token);
    try {
      await waitSynced(fresh.provider);
      expect(tasks(fresh.doc).size).toBe(5);
      expect(h.registry.get(projectId)).toBeDefined();
      expect(await metric('fieldboard_sync_head_syncs_total')).toBe(before);
    } finally {
      fresh.provider.destroy();
    }
  });
});
