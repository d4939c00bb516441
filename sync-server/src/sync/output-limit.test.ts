// A connection that reads more slowly than its room changes is closed with TooFarBehind once what waits for it
// passes the limit; a large step 2 is still delivered to a slow reader; nothing is lost. The rule on its own,
// then the real server with clients whose TCP sockets stop reading.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CloseCode, MessageType, SUBPROTOCOL_FIELDBOARD } from '../../../shared/protocol.ts';
import { MemoryDocStore } from '../persistence/memory-doc-store.ts';
import { SyncStep, syncFrame } from '../rooms/messages.ts';
import type { TestUser } from '../test/fixtures.ts';
import { OutputLimit } from './output-limit.ts';
import { connectProvider, rawSocket, startSyncHarness, waitFor, waitSynced, type SyncHarness } from './test-sync-server.ts';

describe('OutputLimit', () => {
  it('admits a frame while what waits is within the limit beyond the largest frame', () => {
    const limit = new OutputLimit(1000);
    expect(limit.admit(0, 10)).toBe(true);
    expect(limit.admit(1010, 10)).toBe(true);
    expect(limit.admit(1011, 10)).toBe(false);
  });

  it('lets a frame larger than the limit through, and the limit on top of it', () => {
    const limit = new OutputLimit(1000);
    expect(limit.admit(0, 50_000)).toBe(true);
    expect(limit.admit(50_000, 10)).toBe(true);
    expect(limit.admit(51_000, 10)).toBe(true);
    expect(limit.admit(51_001, 10)).toBe(false);
  });

  it('refuses what follows a second large frame queued before the first was read', () => {
    const limit = new OutputLimit(1000);
    expect(limit.admit(0, 50_000)).toBe(true);
    expect(limit.admit(50_000, 50_000)).toBe(true);
    expect(limit.admit(100_000, 10)).toBe(false);
  });

  it('counts frames queued without the check', () => {
    const limit = new OutputLimit(1000);
    limit.sent(50_000);
    expect(limit.admit(50_500, 10)).toBe(true);
  });
});

const LIMIT = 256 * 1024;
const CHUNK = 'x'.repeat(200 * 1024);

function pauseReading(ws: unknown): Socket {
  const socket = (ws as { _socket: Socket })._socket;
  socket.pause();
  return socket;
}

/** Applies the sync frames a raw socket received to `doc` (other message types are skipped). */
function applyFrames(frames: Uint8Array[], doc: Y.Doc): void {
  for (const frame of frames) {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.Sync) continue;
    syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, 'server');
  }
}

describe('a connection that reads too slowly, on the real server', () => {
  let h: SyncHarness;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let projectId: string;
  let writer: ReturnType<typeof connectProvider>;
  let reader: ReturnType<typeof connectProvider>;

  const refusedTooFarBehind = async () =>
    (await h.deps.metrics.refusals.get()).values.find((v) => v.labels.code === 'TooFarBehind')?.value ?? 0;

  beforeAll(async () => {
    h = await startSyncHarness({ store: () => new MemoryDocStore(), sync: { maxBufferedBytes: LIMIT } });
    [alice, bob, carol] = await Promise.all([h.user(), h.user(), h.user()]);
    projectId = await h.project([[alice, 'MEMBER'], [bob, 'MEMBER'], [carol, 'MEMBER']]);
    writer = connectProvider(h.wsUrl, projectId, alice.token);
    reader = connectProvider(h.wsUrl, projectId, carol.token);
    await Promise.all([waitSynced(writer.provider), waitSynced(reader.provider)]);
  });
  afterAll(async () => {
    writer?.provider.destroy();
    reader?.provider.destroy();
    await h?.close();
  });

  it('closes it with TooFarBehind, leaves a reader that keeps up alone, and its client catches up by reconnecting', async () => {
    const slow = rawSocket(`${h.wsUrl}/${projectId}`, [SUBPROTOCOL_FIELDBOARD, `auth.${bob.token}`]);
    await slow.opened;
    await waitFor(() => slow.frames.length > 0, 2000, 'the server greeted the slow client');
    const socket = pauseReading(slow.ws);
    const refusedBefore = await refusedTooFarBehind();
    const heartbeatBefore = (await h.deps.metrics.heartbeatTimeouts.get()).values[0]?.value ?? 0;
    const readerWs = reader.provider.ws;

    // Edits of 200 kB, paced below the rate limit, until the server gives up on the slow client. What the
    // kernel's buffers hold counts for nothing, so this writes some megabytes more than the limit.
    const text = writer.doc.getText('notes');
    let written = 0;
    while ((await refusedTooFarBehind()) === refusedBefore && written < 64 * 1024 * 1024) {
      text.insert(text.length, CHUNK);
      written += CHUNK.length;
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(await refusedTooFarBehind()).toBe(refusedBefore + 1);
    expect(written).toBeLessThan(16 * 1024 * 1024);

    // The reader that keeps up got everything on the same connection.
    await waitFor(() => reader.doc.getText('notes').length === text.length, 10_000, 'the reader caught up');
    expect(reader.provider.ws).toBe(readerWs);

    // Once it reads again, the slow client finds the reason at the end of what was queued for it.
    socket.resume();
    expect((await slow.closed).code).toBe(CloseCode.TooFarBehind);
    await waitFor(() => h.sync.connections.countForUser(bob.id) === 0, 5000, 'the connection gone');
    expect((await h.deps.metrics.heartbeatTimeouts.get()).values[0]?.value ?? 0).toBe(heartbeatBefore);

    // Reconnecting is how it catches up: nothing was lost.
    const back = connectProvider(h.wsUrl, projectId, bob.token);
    await waitSynced(back.provider, 10_000);
    expect(back.doc.getText('notes').toString()).toBe(text.toString());
    back.provider.destroy();
  });

  it('delivers a step 2 larger than the limit to a new device that reads slowly, with the relays behind it, and closes it when it asks for the whole document again before reading', async () => {
    const text = writer.doc.getText('notes');
    while (text.length < 12 * 1024 * 1024) {
      text.insert(text.length, CHUNK);
      await new Promise((r) => setTimeout(r, 15));
    }
    await waitFor(() => reader.doc.getText('notes').length === text.length, 10_000, 'the server holds the document');
    const refusedBefore = await refusedTooFarBehind();

    const device = rawSocket(`${h.wsUrl}/${projectId}`, [SUBPROTOCOL_FIELDBOARD, `auth.${bob.token}`]);
    await device.opened;
    const socket = pauseReading(device.ws);
    const askAll = () => device.ws.send(syncFrame(SyncStep.Step1, Y.encodeStateVector(new Y.Doc())));
    askAll();
    await waitFor(() => h.sync.connections.countForUser(bob.id) === 1, 2000, 'the device joined');
    await new Promise((r) => setTimeout(r, 200)); // the step 2 is queued
    for (let i = 0; i < 5; i++) {
      text.insert(text.length, `edit ${i} `);
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(() => reader.doc.getText('notes').length === text.length, 5000, 'the edits relayed');
    expect(await refusedTooFarBehind()).toBe(refusedBefore);

    // Asking for the whole document again before reading the first answer: the second answer is the last frame
    // queued (the saved message after it is refused).
    askAll();
    await waitFor(async () => (await refusedTooFarBehind()) === refusedBefore + 1, 5000, 'the connection refused');

    socket.resume();
    expect((await device.closed).code).toBe(CloseCode.TooFarBehind);
    const doc = new Y.Doc();
    applyFrames(device.frames, doc);
    expect(doc.getText('notes').toString()).toBe(text.toString());
  });
});
