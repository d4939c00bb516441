// The frames a connection is greeted with leave in one socket write, in protocol order. Writes are counted on
// the server's side of each TCP connection (every call that hands data to the kernel: `_write`/`_writev`).
import type { Socket } from 'node:net';
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MessageType } from '../../../shared/protocol.ts';
import { SyncStep, syncFrame } from '../rooms/messages.ts';
import { snapshotOf } from '../rooms/stored-head.ts';
import type { TestUser } from '../test/fixtures.ts';
import { rawSocket, startSyncHarness, waitFor, type SyncHarness } from './test-sync-server.ts';

let h: SyncHarness;
let alice: TestUser;
let bob: TestUser;
/** Per server-side socket, in order: the frames each write carried (the upgrade response carries none). */
const writes: string[][][] = [];
const sockets: Socket[] = [];
/** While set, the server's socket authentication statements wait for it. */
let authGate: Promise<void> | null = null;

beforeAll(async () => {
  h = await startSyncHarness({
    sql: (sql) =>
      new Proxy(sql, {
        apply(target, thisArg, args: unknown[]) {
          const gate = authGate;
          if (gate && Array.isArray(args[0]) && args[0].join('').includes('FROM unnest')) return gate.then(() => Reflect.apply(target, thisArg, args));
          return Reflect.apply(target, thisArg, args);
        },
      }),
  });
  [alice, bob] = await Promise.all([h.user(), h.user()]);
  h.server.prependListener('connection', (socket: Socket) => {
    const log: string[][] = [];
    writes.push(log);
    sockets.push(socket);
    const s = socket as Socket & { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
    const write = s._write.bind(s);
    const writev = s._writev.bind(s);
    s._write = (chunk, ...rest) => {
      log.push(frameNames([chunk as Buffer]));
      write(chunk, ...rest);
    };
    s._writev = (chunks, ...rest) => {
      log.push(frameNames((chunks as { chunk: Buffer }[]).map((c) => c.chunk)));
      writev(chunks, ...rest);
    };
  });
});
afterAll(() => h.close());

/** The WebSocket frames (unmasked, server to client) in the bytes of one write, by message name. */
function frameNames(chunks: (Buffer | string)[]): string[] {
  const data = Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'latin1') : c)));
  if (data.subarray(0, 4).toString() === 'HTTP') return [];
  const names: string[] = [];
  for (let i = 0; i < data.length; ) {
    let len = data[i + 1]! & 0x7f;
    let at = i + 2;
    if (len === 126) {
      len = data.readUInt16BE(at);
      at += 2;
    } else if (len === 127) {
      len = Number(data.readBigUInt64BE(at));
      at += 8;
    }
    names.push(data[i]! === 0x88 ? 'close' : messageName(data.subarray(at, at + len)));
    i = at + len;
  }
  return names;
}

function messageName(frame: Uint8Array): string {
  const d = decoding.createDecoder(frame);
  const type = decoding.readVarUint(d);
  if (type === MessageType.Saved) return 'saved';
  if (type !== MessageType.Sync) return `type ${type}`;
  return ['step1', 'step2', 'update'][decoding.readVarUint(d)]!;
}

async function count(name: string): Promise<number> {
  return (await h.deps.metrics.registry.getSingleMetric(name)!.get()).values[0]?.value ?? 0;
}

const step1 = () => syncFrame(SyncStep.Step1, Y.encodeStateVector(new Y.Doc()));

/** Opens a raw fieldboard.v1 socket; `sendStep1` right away (as a stock provider does) or later. */
async function connect(projectId: string, token: string, sendStep1: boolean) {
  const before = writes.length;
  const c = rawSocket(`${h.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${token}`]);
  await c.opened;
  if (sendStep1) c.ws.send(step1());
  return { ...c, writes: () => writes[before]!.filter((w) => w.length) };
}

describe('greeting writes', () => {
  it('a cold document answers the step 1 from the stored head: step 2, saved and step 1 in one write', async () => {
    const projectId = await h.project([[alice, 'ADMIN']]);
    const headSyncs = await count('fieldboard_sync_head_syncs_total');
    const c = await connect(projectId, alice.token, true);
    await waitFor(() => c.frames.length >= 3, 3000, 'greeting');
    await waitFor(() => h.registry.get(projectId) !== undefined, 3000, 'room loaded');
    expect(await count('fieldboard_sync_head_syncs_total')).toBe(headSyncs + 1);
    expect(c.writes()).toEqual([['step2', 'saved', 'step1']]);
    c.ws.close();
    await c.closed;
  });

  it('a cold document with a snapshot sends its delete set ahead on its own, then step 2, saved and step 1 in one write', async () => {
    const projectId = await h.project([[alice, 'ADMIN']]);
    // Stored: a snapshot holding a deletion the client never saw, and one log row after it.
    const server = new Y.Doc();
    const tasks = server.getMap<number>('tasks');
    tasks.set('a', 1);
    tasks.set('b', 2);
    const before = Y.encodeStateAsUpdate(server);
    const { lastId } = await h.store.append({ projectId, updates: [{ update: before, userId: alice.id }] });
    tasks.delete('a');
    await h.store.compact(projectId, { ...snapshotOf(server), lastUpdateId: lastId, updateCount: 1 });
    server.on('update', (u: Uint8Array) => void h.store.append({ projectId, updates: [{ update: u, userId: alice.id }] }));
    tasks.set('c', 3);
    await waitFor(async () => (await h.store.loadHead(projectId)).updates.length === 1, 3000, 'log row stored');
    // A returning client: it holds the snapshot's structs, not its deletion.
    const client = new Y.Doc();
    Y.applyUpdate(client, before);
    const c = rawSocket(`${h.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${alice.token}`]);
    const at = writes.length;
    await c.opened;
    c.ws.send(syncFrame(SyncStep.Step1, Y.encodeStateVector(client)));
    await waitFor(() => c.frames.length >= 4, 3000, 'greeting');
    expect(writes[at]!.filter((w) => w.length)).toEqual([['update'], ['step2', 'saved', 'step1']]);
    for (const frame of c.frames.slice(0, 2)) {
      const d = decoding.createDecoder(frame);
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      Y.applyUpdate(client, decoding.readVarUint8Array(d));
    }
    expect(client.getMap('tasks').toJSON()).toEqual({ b: 2, c: 3 });
    c.ws.close();
    await c.closed;
  });

  it('a loaded room answers the step 1 that came meanwhile, then sends its own, in one write', async () => {
    const projectId = await h.project([[alice, 'ADMIN'], [bob, 'MEMBER']]);
    const first = await connect(projectId, alice.token, true);
    await waitFor(() => h.registry.get(projectId) !== undefined, 3000, 'room loaded');
    // The membership check waits until the client's step 1 has reached the server.
    let unlock!: () => void;
    authGate = new Promise<void>((resolve) => (unlock = resolve));
    const c = await connect(projectId, bob.token, false);
    const socket = sockets.at(-1)!;
    const read = socket.bytesRead;
    c.ws.send(step1());
    await waitFor(() => socket.bytesRead > read, 3000, 'step 1 at the server');
    expect(c.frames).toEqual([]);
    authGate = null;
    unlock();
    await waitFor(() => c.frames.length >= 3, 3000, 'greeting');
    expect(c.writes()).toEqual([['step2', 'saved', 'step1']]);
    first.ws.close();
    c.ws.close();
    await Promise.all([first.closed, c.closed]);
  });

  it('a step 1 sent after the greeting is answered with step 2 and saved in one write', async () => {
    const projectId = await h.project([[alice, 'ADMIN'], [bob, 'MEMBER']]);
    const first = await connect(projectId, alice.token, true);
    await waitFor(() => h.registry.get(projectId) !== undefined, 3000, 'room loaded');
    const c = await connect(projectId, bob.token, false);
    await waitFor(() => c.frames.length >= 1, 3000, 'our step 1');
    c.ws.send(step1());
    await waitFor(() => c.frames.length >= 3, 3000, 'answer');
    expect(c.writes()).toEqual([['step1'], ['step2', 'saved']]);
    first.ws.close();
    c.ws.close();
    await Promise.all([first.closed, c.closed]);
  });
});
