// A device with more offline changes than MAX_FRAME_BYTES syncs through the real server: the client's
// socket (client/src/sync/authed-socket.ts with frame-splitter.ts) sends its sync step 2 as several update
// frames under the limit, and every change ends up applied, persisted and acknowledged as saved. Without the
// splitter the same step 2 is one frame that the server refuses with 4413 (second test).
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
// Test only: the client's real socket class against the real server (the layering rule is for app code).
// eslint-disable-next-line no-restricted-imports
import { createAuthedSocketClass } from '../../../client/src/sync/authed-socket.ts';
// eslint-disable-next-line no-restricted-imports
import { FrameLimit } from '../../../client/src/sync/frame-splitter.ts';
import { CloseCode, MessageType } from '../../../shared/protocol.ts';
import type { TestUser } from '../test/fixtures.ts';
import { connectProvider, startSyncHarness, waitFor, waitSynced, type SyncHarness } from './test-sync-server.ts';

const MAX_FRAME_BYTES = 8192;
let h: SyncHarness;
let user: TestUser;

beforeAll(async () => {
  h = await startSyncHarness({ config: { maxFrameBytes: MAX_FRAME_BYTES } });
  user = await h.user();
});
afterAll(async () => {
  await h?.close();
});

/** Our client's provider: the authed socket class, with the given idea of the server's frame limit. */
function clientProvider(projectId: string, doc: Y.Doc, frames: FrameLimit) {
  const Socket = createAuthedSocketClass(async () => ({ token: user.token }), WebSocket as unknown as typeof globalThis.WebSocket, frames);
  const provider = new WebsocketProvider(h.wsUrl, projectId, doc, {
    connect: false,
    WebSocketPolyfill: Socket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  const saved: Map<number, number>[] = [];
  provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
    saved.push(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
  };
  const closes: number[] = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push(event.code);
  });
  return { provider, saved, closes };
}

function covers(vector: Map<number, number> | undefined, doc: Y.Doc): boolean {
  if (!vector) return false;
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) if ((vector.get(client) ?? 0) < clock) return false;
  return true;
}

/** Days of offline work: tasks, moves, renames, deletions, by this device and a second tab (two clients). */
function offlineEdits(doc: Y.Doc) {
  const tasks = doc.getMap<Y.Map<unknown>>('tasks');
  const order = doc.getArray<string>('order');
  const tab = new Y.Doc();
  Y.applyUpdate(tab, Y.encodeStateAsUpdate(doc));
  const tabTasks = tab.getMap<Y.Map<unknown>>('tasks');
  for (let i = 0; i < 150; i++) {
    const t = new Y.Map<unknown>();
    t.set('title', `Tab task ${i}: check the pump at site ${i * 7}`);
    tabTasks.set(`tab-${i}`, t);
  }
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(tab));
  for (let i = 0; i < 300; i++) {
    doc.transact(() => {
      const t = new Y.Map<unknown>();
      t.set('title', `Offline task ${i}: inspect valve ${i} and write down the pressure`);
      t.set('points', i % 13);
      tasks.set(`task-${i}`, t);
      order.push([`task-${i}`]);
      if (i % 5 === 4) tabTasks.get(`tab-${i}`)?.set('title', `renamed on the device ${i}`);
      if (i % 7 === 6) order.delete(0, 1);
    });
  }
  tasks.delete('base-1');
}

async function seededProject(): Promise<{ projectId: string; base: Y.Doc }> {
  const projectId = await h.project([[user, 'ADMIN']]);
  const seed = connectProvider(h.wsUrl, projectId, user.token);
  await waitSynced(seed.provider);
  seed.doc.transact(() => {
    for (let i = 0; i < 5; i++) {
      const t = new Y.Map<unknown>();
      t.set('title', `Base task ${i}`);
      seed.doc.getMap('tasks').set(`base-${i}`, t);
    }
  });
  await waitFor(() => covers(seed.saved.length ? Y.decodeStateVector(seed.saved[seed.saved.length - 1]!) : undefined, seed.doc), 5000, 'base saved');
  seed.provider.destroy();
  const base = new Y.Doc();
  Y.applyUpdate(base, Y.encodeStateAsUpdate(seed.doc));
  return { projectId, base };
}

describe('offline changes larger than MAX_FRAME_BYTES', () => {
  it('are sent as several frames under the limit, applied and acknowledged as saved', async () => {
    const { projectId, base } = await seededProject();
    const device = new Y.Doc();
    Y.applyUpdate(device, Y.encodeStateAsUpdate(base));
    offlineEdits(device);
    const offline = Y.encodeStateAsUpdate(device, Y.encodeStateVector(base));
    expect(offline.byteLength).toBeGreaterThan(3 * MAX_FRAME_BYTES);

    const frames = new FrameLimit(MAX_FRAME_BYTES);
    const { provider, saved, closes } = clientProvider(projectId, device, frames);
    provider.connect();
    await waitSynced(provider);
    await waitFor(() => covers(saved[saved.length - 1], device), 10_000, 'a saved vector covering every offline change');
    expect(closes).toEqual([]);
    expect(provider.wsconnected).toBe(true);

    // The server has exactly the device's document, and a fresh client receives it.
    const room = h.registry.get(projectId)!;
    expect(Y.encodeStateVector(room.doc)).toEqual(Y.encodeStateVector(device));
    expect(room.doc.store.pendingStructs).toBeNull();
    expect(covers(Y.decodeStateVector(room.persisted), device)).toBe(true);
    provider.destroy();
    const reader = connectProvider(h.wsUrl, projectId, user.token);
    // The server's step 2 to the reader is larger than the limit too, but server -> client frames are not limited.
    await waitSynced(reader.provider);
    expect(reader.doc.getMap('tasks').toJSON()).toEqual(device.getMap('tasks').toJSON());
    expect(reader.doc.getArray('order').toJSON()).toEqual(device.getArray('order').toJSON());
    expect(reader.doc.getMap('tasks').has('base-1')).toBe(false);
    reader.provider.destroy();
  });

  it('without splitting, the same step 2 is one frame the server refuses with MessageTooLarge', async () => {
    const { projectId, base } = await seededProject();
    const device = new Y.Doc();
    Y.applyUpdate(device, Y.encodeStateAsUpdate(base));
    offlineEdits(device);
    // A client that believes the limit is far higher never splits.
    const { provider, saved, closes } = clientProvider(projectId, device, new FrameLimit(64 * 1024 * 1024));
    provider.connect();
    await waitFor(() => closes.length > 0, 5000, 'the server closing the socket');
    expect(closes[0]).toBe(CloseCode.MessageTooLarge);
    expect(saved.some((v) => covers(v, device))).toBe(false);
    provider.destroy();
  });
});
