// Rooms are really released after their unload: nothing (registry maps, idle or awareness timers, persist
// queue closures, metrics, projection state) keeps a Y.Doc alive once its room unloaded. Checked with weak
// references and a forced full GC, so any forgotten strong reference fails the test, wherever it is.
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { SUBPROTOCOL_FIELDBOARD, SUBPROTOCOL_YJS } from '../../../shared/protocol.ts';
import { createMetrics } from '../metrics.ts';
import { MemoryDocStore } from '../persistence/memory-doc-store.ts';
import { createDocWriter } from './doc-writer.ts';
import { awarenessFrame, SyncStep, syncFrame } from './messages.ts';
import { createRoomEffects } from './room-effects.ts';
import { RoomRegistry } from './room-registry.ts';

// The GC function of this isolate, without starting the test runner with --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const logger = pino({ level: 'silent' });
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await tick();
  }
}

/** Loads `count` rooms, each with a client that syncs, writes, announces awareness and leaves; one REST write each. */
async function useRooms(registry: RoomRegistry, count: number): Promise<{ rooms: WeakRef<object>[]; docs: WeakRef<object>[] }> {
  const rooms: WeakRef<object>[] = [];
  const docs: WeakRef<object>[] = [];
  const writer = createDocWriter(registry);
  for (let i = 0; i < count; i++) {
    const projectId = randomUUID();
    const room = await registry.acquire(projectId);
    rooms.push(new WeakRef(room));
    docs.push(new WeakRef(room.doc));
    const socket = { readyState: 1, sent: 0, send() { this.sent++; }, close() { this.readyState = 3; } };
    const conn = room.join(socket, { userId: randomUUID(), sessionId: null, role: 'MEMBER', protocol: i % 2 ? SUBPROTOCOL_FIELDBOARD : SUBPROTOCOL_YJS });
    const client = new Y.Doc();
    room.receive(conn, syncFrame(SyncStep.Step1, Y.encodeStateVector(client)));
    client.on('update', (u: Uint8Array) => room.receive(conn, syncFrame(SyncStep.Update, u)));
    client.getMap<string>('content').set('field', `room ${i}`.padEnd(2000, '.'));
    const awareness = new awarenessProtocol.Awareness(client);
    awareness.setLocalState({ user: `u${i}` });
    room.receive(conn, awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(awareness, [client.clientID])));
    awareness.destroy();
    await writer.transact(projectId, randomUUID(), (doc) => doc.getMap('content').set('by-server', i));
    await room.queue.whenIdle();
    room.leave(conn);
    registry.release(room);
  }
  return { rooms, docs };
}

describe('room release', () => {
  it('unloaded rooms leave nothing behind: registry empty, rooms and documents collectable', async () => {
    const store = new MemoryDocStore();
    const metrics = createMetrics();
    const events: string[] = [];
    const registry = new RoomRegistry({ store, logger, metrics, idleUnloadMs: 10, effects: createRoomEffects, onLoaded: () => events.push('load'), onUnloaded: () => events.push('unload') });
    const { rooms, docs } = await useRooms(registry, 40);
    await until(() => registry.size === 0);
    // The idle collector hears of each load and each unload once.
    expect(events.filter((e) => e === 'load')).toHaveLength(40);
    expect(events.filter((e) => e === 'unload')).toHaveLength(40);
    expect((await metrics.loadedRooms.get()).values[0]!.value).toBe(0);
    // Unload finishes on a promise chain (compaction, then destroy): let it settle before collecting.
    await tick(50);
    gc();
    await tick(0);
    gc();
    expect(rooms.filter((r) => r.deref() !== undefined).length).toBe(0);
    expect(docs.filter((r) => r.deref() !== undefined).length).toBe(0);
  });

  it('keeps a leased room while the released ones are collected', async () => {
    const store = new MemoryDocStore();
    const registry = new RoomRegistry({ store, logger, idleUnloadMs: 10, effects: createRoomEffects });
    const { rooms } = await useRooms(registry, 3);
    const held = await registry.acquire(randomUUID());
    const heldRef = new WeakRef(held);
    await until(() => registry.size === 1);
    gc();
    expect(rooms.filter((r) => r.deref() !== undefined).length).toBe(0);
    expect(heldRef.deref()).toBe(held);
    registry.release(held);
    await until(() => registry.size === 0);
  });
});
