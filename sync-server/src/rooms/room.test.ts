// Rooms without a network: in-memory sockets and the in-memory DocStore (with injected faults).
import { randomUUID } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MessageType, SUBPROTOCOL_FIELDBOARD, SUBPROTOCOL_YJS } from '../../../shared/protocol.ts';
import { createMetrics } from '../metrics.ts';
import { MemoryDocStore } from '../persistence/memory-doc-store.ts';
import { POISON_687 } from '../yjs-guard/poison.ts';
import { createDocWriter, DocWriteTimeoutError } from './doc-writer.ts';
import { SyncStep, syncFrame } from './messages.ts';
import { RoomRegistry } from './room-registry.ts';
import type { Room } from './room.ts';

const logger = pino({ level: 'silent' });

class FakeSocket {
  sent: Uint8Array[] = [];
  readyState = 1;
  closedWith: number | null = null;
  send(d: Uint8Array) {
    this.sent.push(d);
  }
  close(code: number) {
    this.closedWith = code;
    this.readyState = 3;
  }
  ofType(type: number): Uint8Array[] {
    return this.sent.filter((f) => decoding.readVarUint(decoding.createDecoder(f)) === type);
  }
  savedVectors(): Map<number, number>[] {
    return this.ofType(MessageType.Saved).map((f) => {
      const d = decoding.createDecoder(f);
      decoding.readVarUint(d);
      return Y.decodeStateVector(decoding.readVarUint8Array(d));
    });
  }
}

function setup(opts: { idleUnloadMs?: number; compactThreshold?: number; unloadCompactRows?: number } = {}) {
  const store = new MemoryDocStore();
  const metrics = createMetrics();
  const registry = new RoomRegistry({ store, logger, metrics, retryBaseMs: 10, retryMaxMs: 40, ...opts });
  return { store, metrics, registry };
}

function join(room: Room, userId = randomUUID(), protocol = SUBPROTOCOL_FIELDBOARD) {
  const socket = new FakeSocket();
  const conn = room.join(socket, { userId, sessionId: null, role: 'MEMBER', protocol });
  return { socket, conn };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await tick();
  }
}

describe('room persistence', () => {
  it('relays before the commit and writes updates arriving together in one group commit', async () => {
    const { store, registry } = setup();
    const p = randomUUID();
    const room = await registry.acquire(p);
    const a = join(room);
    const b = join(room, randomUUID(), SUBPROTOCOL_YJS);
    const client = new Y.Doc();
    client.on('update', (u: Uint8Array) => room.receive(a.conn, syncFrame(SyncStep.Update, u)));
    for (let i = 0; i < 20; i++) client.getArray('a').push([i]);
    // Relayed synchronously, before any write finished.
    expect(b.socket.ofType(MessageType.Sync).length).toBeGreaterThanOrEqual(20);
    expect(store.appendCalls).toBe(0);
    await room.queue.whenIdle();
    expect(store.appendCalls).toBe(1);
    expect(store.rowCount(p)).toBe(20);
    const saved = a.socket.savedVectors();
    expect(saved.at(-1)!.get(client.clientID)).toBe(20);
    expect(b.socket.ofType(MessageType.Saved)).toEqual([]);
  });

  it('acknowledges each commit only to the connections whose writes it covers, including late arrivals', async () => {
    const { registry } = setup();
    const room = await registry.acquire(randomUUID());
    const a = join(room);
    const b = join(room);
    const writer = new Y.Doc();
    writer.on('update', (u: Uint8Array) => room.receive(a.conn, syncFrame(SyncStep.Update, u)));
    writer.getArray('a').push([1]);
    // Arrives while the first batch is being written: goes into the next batch and gets its own ack.
    writer.getArray('a').push([2]);
    await room.queue.whenIdle();
    await until(() => a.socket.savedVectors().some((sv) => sv.get(writer.clientID) === 2));
    expect(b.socket.ofType(MessageType.Saved)).toEqual([]);
    // A duplicate of an update already queued (a second tab relaying the first one's change) is acknowledged
    // once the commit holding the original lands.
    const other = new Y.Doc();
    other.getText('t').insert(0, 'hello');
    const update = Y.encodeStateAsUpdate(other);
    room.receive(a.conn, syncFrame(SyncStep.Update, update));
    room.receive(b.conn, syncFrame(SyncStep.Update, update));
    await room.queue.whenIdle();
    await until(() => b.socket.savedVectors().some((sv) => sv.get(other.clientID) === 5));
  });

  it('keeps a failed write in memory, retries, and never acknowledges unwritten data', async () => {
    const { store, registry, metrics } = setup();
    const p = randomUUID();
    const room = await registry.acquire(p);
    const a = join(room);
    let failing = true;
    store.faults.append = () => (failing ? new Error('database down') : undefined);
    const client = new Y.Doc();
    client.getText('t').insert(0, 'precious');
    room.receive(a.conn, syncFrame(SyncStep.Update, Y.encodeStateAsUpdate(client)));
    await until(() => store.appendCalls >= 3);
    expect(a.socket.savedVectors().some((sv) => (sv.get(client.clientID) ?? 0) > 0)).toBe(false);
    expect(room.doc.getText('t').toString()).toBe('precious');
    expect((await metrics.registry.getSingleMetric('fieldboard_sync_persist_failures_total')!.get()).values[0]!.value).toBeGreaterThanOrEqual(2);
    failing = false;
    await until(() => a.socket.savedVectors().some((sv) => sv.get(client.clientID) === 8));
    expect(store.rowCount(p)).toBe(1);
  });

  it('refuses to load when storage fails, and loads the stored state on the next attempt', async () => {
    const { store, registry } = setup();
    const p = randomUUID();
    const seed = new Y.Doc();
    seed.getText('t').insert(0, 'stored');
    await store.append({ projectId: p, updates: [{ update: Y.encodeStateAsUpdate(seed), userId: null }] });
    store.faults.load = () => new Error('connection reset');
    await expect(registry.acquire(p)).rejects.toThrow('connection reset');
    expect(registry.get(p)).toBeUndefined();
    store.faults.load = undefined;
    const room = await registry.acquire(p);
    expect(room.doc.getText('t').toString()).toBe('stored');
  });

  it('quarantines a poison row in the log instead of hanging the load', async () => {
    const { store, registry, metrics } = setup();
    const p = randomUUID();
    const good = new Y.Doc();
    good.getText('t').insert(0, 'kept');
    store.injectRow(p, POISON_687);
    await store.append({ projectId: p, updates: [{ update: Y.encodeStateAsUpdate(good), userId: null }] });
    const t0 = performance.now();
    const room = await registry.acquire(p);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(room.doc.getText('t').toString()).toBe('kept');
    expect((await metrics.registry.getSingleMetric('fieldboard_sync_quarantined_updates_total')!.get()).values[0]!.value).toBe(1);
  });

  it('unloads an idle room after compacting, and reloads it identically', async () => {
    const { store, registry } = setup({ idleUnloadMs: 20, unloadCompactRows: 1 });
    const p = randomUUID();
    const room = await registry.acquire(p);
    const a = join(room);
    const client = new Y.Doc();
    client.on('update', (u: Uint8Array) => room.receive(a.conn, syncFrame(SyncStep.Update, u)));
    client.getMap('m').set('k', 'v');
    client.getText('t').insert(0, 'hello');
    client.getText('t').delete(0, 2);
    const before = { json: room.doc.toJSON(), sv: Y.encodeStateVector(room.doc) };
    room.leave(a.conn);
    registry.release(room);
    await until(() => registry.get(p) === undefined);
    expect(room.destroyed).toBe(true);
    expect(store.rowCount(p)).toBe(0);
    const again = await registry.acquire(p);
    expect(again).not.toBe(room);
    expect(again.doc.toJSON()).toEqual(before.json);
    expect(Y.encodeStateVector(again.doc)).toEqual(before.sv);
  });

  it('unloads without compacting a short log (the next load replays it), and reloads identically', async () => {
    const { store, registry } = setup({ idleUnloadMs: 20, unloadCompactRows: 10 });
    const p = randomUUID();
    const room = await registry.acquire(p);
    const a = join(room);
    const client = new Y.Doc();
    client.on('update', (u: Uint8Array) => room.receive(a.conn, syncFrame(SyncStep.Update, u)));
    client.getText('t').insert(0, 'short');
    client.getMap('m').set('k', 1);
    const before = Y.encodeStateAsUpdate(room.doc);
    room.leave(a.conn);
    registry.release(room);
    await until(() => registry.get(p) === undefined);
    expect(store.rowCount(p)).toBe(2);
    const again = await registry.acquire(p);
    expect(Y.encodeStateAsUpdate(again.doc)).toEqual(before);
  });

  it('compacts past the threshold and the document stays identical', async () => {
    const { store, registry, metrics } = setup({ compactThreshold: 5 });
    const p = randomUUID();
    const room = await registry.acquire(p);
    const a = join(room);
    const client = new Y.Doc();
    client.on('update', (u: Uint8Array) => room.receive(a.conn, syncFrame(SyncStep.Update, u)));
    for (let i = 0; i < 12; i++) {
      client.getText('t').insert(i, String(i % 10));
      await tick(2);
    }
    await room.queue.whenIdle();
    await until(() => store.rowCount(p) < 5);
    expect((await metrics.registry.getSingleMetric('fieldboard_sync_compactions_total')!.get()).values[0]!.value).toBeGreaterThanOrEqual(1);
    const reloaded = await new RoomRegistry({ store, logger }).acquire(p);
    expect(reloaded.doc.getText('t').toString()).toBe(client.getText('t').toString());
    expect(Y.encodeStateVector(reloaded.doc)).toEqual(Y.encodeStateVector(client));
  });

  it('goes on committing and acknowledging writes while a compaction is being stored, and loses none of them', async () => {
    const { store, registry } = setup({ compactThreshold: 5 });
    let storing!: () => void;
    const stored = new Promise<void>((resolve) => (storing = resolve));
    let compactions = 0;
    const compact = store.compact.bind(store);
    store.compact = async (projectId, snapshot) => {
      compactions++;
      await stored; // the store's transaction takes its time
      return compact(projectId, snapshot);
    };
    const p = randomUUID();
    const room = await registry.acquire(p);
    const a = join(room);
    const client = new Y.Doc();
    client.on('update', (u: Uint8Array) => room.receive(a.conn, syncFrame(SyncStep.Update, u)));
    for (let i = 0; i < 5; i++) {
      client.getMap('m').set(`before-${i}`, i);
      await room.queue.whenIdle();
    }
    await until(() => compactions === 1);
    const rowsBefore = store.rowCount(p);

    // Written while the snapshot is being stored: committed and acknowledged without waiting for it.
    for (let i = 0; i < 3; i++) client.getMap('m').set(`during-${i}`, i);
    await until(() => store.rowCount(p) > rowsBefore);
    await room.queue.whenIdle();
    const clock = Y.encodeStateVector(client);
    const lastSaved = a.socket.savedVectors().at(-1)!;
    expect(lastSaved.get(client.clientID)).toBe(Y.decodeStateVector(clock).get(client.clientID));
    expect(compactions).toBe(1); // still the one being stored

    storing();
    await until(() => room.logRows < rowsBefore);
    // The rows written during the compaction are kept after it; a fresh load holds every write.
    expect(store.rowCount(p)).toBe(3);
    expect(room.logRows).toBe(3);
    const reloaded = await new RoomRegistry({ store, logger }).acquire(p);
    expect(reloaded.doc.getMap('m').toJSON()).toEqual(client.getMap('m').toJSON());
    expect(Y.encodeStateVector(reloaded.doc)).toEqual(clock);
  });

  it('DocWriter runs one transaction as a user, relays it and resolves after the commit', async () => {
    const { store, registry } = setup();
    const p = randomUUID();
    const room = await registry.acquire(p);
    const peer = join(room);
    const writer = createDocWriter(registry);
    const userId = randomUUID();
    const result = await writer.transact(p, userId, (doc) => {
      doc.getMap('m').set('by', 'server');
      return 42;
    });
    expect(result).toBe(42);
    expect(store.rowCount(p)).toBe(1);
    expect(peer.socket.ofType(MessageType.Sync).length).toBeGreaterThan(1);
    // A transaction that changes nothing resolves without a write.
    await writer.transact(p, userId, () => undefined);
    expect(store.rowCount(p)).toBe(1);
  });
});

describe('DocWriter when storage fails', () => {
  it('rejects with DocWriteTimeoutError but keeps the change queued and writes it once storage recovers', async () => {
    const { store, registry } = setup();
    const p = randomUUID();
    const writer = createDocWriter(registry, { commitTimeoutMs: 50 });
    let failing = true;
    store.faults.append = () => (failing ? new Error('database down') : undefined);
    await expect(writer.transact(p, randomUUID(), (doc) => doc.getMap('m').set('k', 'v'))).rejects.toBeInstanceOf(DocWriteTimeoutError);
    failing = false;
    await until(() => store.rowCount(p) === 1);
  });
});

describe('RoomRegistry shutdown', () => {
  it('drops a room that finishes loading after closeAll began, and refuses the acquire that loaded it', async () => {
    const { store, registry } = setup();
    const p = randomUUID();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const loadHead = store.loadHead.bind(store);
    store.loadHead = async (projectId) => {
      await held;
      return loadHead(projectId);
    };
    const acquiring = registry.acquire(p);
    await registry.closeAll(1012, 'shutting down');
    release();
    await expect(acquiring).rejects.toThrow('server is shutting down');
    expect(registry.size).toBe(0);
    expect(registry.get(p)).toBeUndefined();
    await expect(registry.acquire(p)).rejects.toThrow('server is shutting down');
  });
});

describe('RoomRegistry greeting from the stored head', () => {
  it('holds the heavy part of a load until the waiting connection answered, or a bounded wait passed', async () => {
    const { store, registry } = setup();
    let stateReads = 0;
    const read = store.loadSnapshotState.bind(store);
    store.loadSnapshotState = (projectId, lastUpdateId) => {
      stateReads++;
      return read(projectId, lastUpdateId);
    };
    const p = randomUUID();
    const first = await registry.acquire(p);
    first.doc.getMap('m').set('k', 'v');
    await until(() => store.rowCount(p) === 1 && first.queue.idle);
    await first.compact();
    expect(store.rowCount(p)).toBe(0);
    first.destroy();
    const fresh = new RoomRegistry({ store, logger });
    const acquiring = fresh.acquire(p);
    const greeting = fresh.greetWhileLoading(p)!;
    expect(await greeting.head).not.toBeNull();
    await tick(50);
    expect(stateReads).toBe(0); // waiting for the greeting
    greeting.done();
    const room = await acquiring;
    expect(stateReads).toBe(1);
    expect(room.doc.getMap('m').get('k')).toBe('v');
    expect(fresh.greetWhileLoading(p)).toBeNull(); // loaded: nothing to greet from
    // A connection that never answers (its client sent no step 1) delays the load by a bounded wait only.
    const third = new RoomRegistry({ store, logger });
    const t0 = performance.now();
    const loading = third.acquire(p);
    third.greetWhileLoading(p);
    await loading;
    expect(stateReads).toBe(2);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe('a new device on a large document', () => {
  /** Each sync frame a socket got, in order: [step, payload]. */
  function syncFrames(socket: FakeSocket): [number, Uint8Array][] {
    return socket.ofType(MessageType.Sync).map((f) => {
      const d = decoding.createDecoder(f);
      decoding.readVarUint(d);
      return [decoding.readVarUint(d), decoding.readVarUint8Array(d)];
    });
  }
  const emptyStep1 = () => syncFrame(SyncStep.Step1, Y.encodeStateVector(new Y.Doc()));

  async function roomWithKeys(count: number) {
    const { registry } = setup();
    const room = await registry.acquire(randomUUID());
    const writer = join(room);
    const client = new Y.Doc();
    client.on('update', (u: Uint8Array) => room.receive(writer.conn, syncFrame(SyncStep.Update, u)));
    const keys = client.getMap<unknown>('keys');
    // One struct per key (map entries of different keys never merge).
    client.transact(() => {
      for (let i = 0; i < count; i++) keys.set(`k${i}`, i);
    });
    await room.queue.whenIdle();
    return { room, client, keys };
  }

  it('gets its step 2 encoded in steps, after the changes made meanwhile, and ends with the room state', async () => {
    const { room, client, keys } = await roomWithKeys(20_000);
    const device = join(room);
    room.receive(device.conn, emptyStep1());
    expect(syncFrames(device.socket).filter(([step]) => step === SyncStep.Step2)).toHaveLength(0);
    // Changes made while the steps run (the first 1,024 structs are written already): a key written deleted,
    // one not written yet changed, one added. They reach the device relayed, ahead of its step 2.
    client.transact(() => {
      keys.delete('k0');
      keys.set('k19999', 'changed');
      keys.set('new', true);
    });
    await until(() => syncFrames(device.socket).some(([step]) => step === SyncStep.Step2));
    const frames = syncFrames(device.socket);
    const steps = frames.map(([step]) => step).filter((step) => step !== SyncStep.Step1);
    expect(steps).toEqual([SyncStep.Update, SyncStep.Step2]);
    expect(device.socket.savedVectors()).toHaveLength(1);

    // The step 2 alone shows where the changes fell: k0 as it was when written (its deletion came relayed);
    // k19999's old value deleted when it was reached, its new value (past the clocks captured at the start)
    // and the new key only relayed.
    const alone = new Y.Doc();
    Y.applyUpdate(alone, frames.find(([step]) => step === SyncStep.Step2)![1]);
    expect(alone.getMap('keys').get('k0')).toBe(0);
    expect(alone.getMap('keys').has('k19999')).toBe(false);
    expect(alone.getMap('keys').has('new')).toBe(false);

    // Applied in the order received, as the device's Yjs does.
    const doc = new Y.Doc();
    for (const [step, payload] of frames) if (step !== SyncStep.Step1) Y.applyUpdate(doc, payload);
    const got = doc.getMap<unknown>('keys');
    expect(got.size).toBe(20_000);
    expect(got.has('k0')).toBe(false);
    expect(got.get('k19999')).toBe('changed');
    expect(got.get('new')).toBe(true);
    expect(got.toJSON()).toEqual(client.getMap('keys').toJSON());
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(room.doc));
  });

  it('a small document answers at once, in the same turn', async () => {
    const { room } = await roomWithKeys(100);
    const device = join(room);
    room.receive(device.conn, emptyStep1());
    expect(syncFrames(device.socket).filter(([step]) => step === SyncStep.Step2)).toHaveLength(1);
  });
});
