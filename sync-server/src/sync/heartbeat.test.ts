// Dead peers are dropped by the heartbeat; live ones (which answer pings, as browsers and ws do by themselves)
// are never touched. Unit rounds on fake sockets, then the real server with a client that stops reading.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { SUBPROTOCOL_FIELDBOARD } from '../../../shared/protocol.ts';
import { awarenessFrame } from '../rooms/messages.ts';
import type { TestUser } from '../test/fixtures.ts';
import { Heartbeat, type PingableSocket } from './heartbeat.ts';
import { connectProvider, rawSocket, startSyncHarness, waitFor, waitSynced, type SyncHarness } from './test-sync-server.ts';

class FakeSocket implements PingableSocket {
  pings = 0;
  terminated = false;
  constructor(private readonly answers: boolean, private readonly heartbeat: () => Heartbeat) {}
  ping() {
    this.pings++;
    if (this.answers) this.heartbeat().alive(this);
  }
  terminate() {
    this.terminated = true;
  }
}

describe('Heartbeat rounds', () => {
  /** Never fires by itself in these tests: each interval is ten explicit ticks. */
  const HOUR = 3_600_000;
  const interval = (hb: Heartbeat) => {
    for (let i = 0; i < 10; i++) hb.tick();
  };

  it('pings a live socket every interval and never drops it; drops a silent one on its second turn', () => {
    let dead = 0;
    const hb = new Heartbeat(HOUR, () => dead++);
    const live = new FakeSocket(true, () => hb);
    const silent = new FakeSocket(false, () => hb);
    hb.watch(live);
    hb.watch(silent);
    interval(hb);
    expect([live.pings, silent.pings]).toEqual([1, 1]);
    expect(silent.terminated).toBe(false);
    interval(hb);
    expect(silent.terminated).toBe(true);
    expect(dead).toBe(1);
    expect(hb.watching).toBe(1);
    for (let i = 0; i < 5; i++) interval(hb);
    expect(live.pings).toBe(7);
    expect(live.terminated).toBe(false);
    expect(dead).toBe(1);
    hb.stop();
  });

  it('counts any frame as a sign of life, and forgets unwatched sockets', () => {
    const hb = new Heartbeat(HOUR);
    const chatty = new FakeSocket(false, () => hb);
    const gone = new FakeSocket(false, () => hb);
    hb.watch(chatty);
    hb.watch(gone);
    hb.unwatch(gone);
    for (let round = 0; round < 4; round++) {
      interval(hb);
      hb.alive(chatty); // a frame between two turns
    }
    expect(chatty.terminated).toBe(false);
    expect(gone.pings).toBe(0);
    expect(gone.terminated).toBe(false);
    hb.stop();
  });

  it('spreads the pings of an interval over its ticks', () => {
    const hb = new Heartbeat(HOUR);
    const sockets = Array.from({ length: 100 }, () => new FakeSocket(true, () => hb));
    for (const s of sockets) hb.watch(s);
    const perTick: number[] = [];
    for (let i = 0; i < 10; i++) {
      const before = sockets.reduce((n, s) => n + s.pings, 0);
      hb.tick();
      perTick.push(sockets.reduce((n, s) => n + s.pings, 0) - before);
    }
    expect(perTick).toEqual(Array(10).fill(10));
    hb.stop();
  });
});

describe('heartbeat on the real server', () => {
  const PING_MS = 100;
  let h: SyncHarness;
  let alice: TestUser;
  let projectId: string;

  beforeAll(async () => {
    h = await startSyncHarness({ sync: { pingIntervalMs: PING_MS } });
    alice = await h.user();
    projectId = await h.project([[alice, 'MEMBER']]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('drops a connection whose peer stopped answering, with its awareness and its place in the user limit', async () => {
    const watcher = connectProvider(h.wsUrl, projectId, alice.token);
    await waitSynced(watcher.provider);
    const ghost = rawSocket(`${h.wsUrl}/${projectId}`, [SUBPROTOCOL_FIELDBOARD, `auth.${alice.token}`]);
    await ghost.opened;
    await waitFor(() => h.sync.connections.countForUser(alice.id) === 2, 2000, 'both connections authenticated');
    // The ghost shows itself as present, as a client would before losing coverage.
    const ghostDoc = new Y.Doc();
    const ghostAwareness = new awarenessProtocol.Awareness(ghostDoc);
    ghostAwareness.setLocalState({ name: 'Ghost' });
    ghost.ws.send(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(ghostAwareness, [ghostDoc.clientID])));
    await waitFor(() => watcher.provider.awareness.getStates().has(ghostDoc.clientID), 2000, 'the ghost shown as present');
    const timeoutsBefore = (await h.deps.metrics.heartbeatTimeouts.get()).values[0]?.value ?? 0;

    // The peer goes silent the way a phone out of coverage does: nothing it receives is read, so no pong leaves.
    (ghost.ws as unknown as { _socket: Socket })._socket.pause();
    await waitFor(() => h.sync.connections.countForUser(alice.id) === 1, 20 * PING_MS, 'the silent connection dropped');
    expect((await h.deps.metrics.heartbeatTimeouts.get()).values[0]?.value).toBe(timeoutsBefore + 1);
    await waitFor(() => !watcher.provider.awareness.getStates().has(ghostDoc.clientID), 2000, 'the ghost no longer shown');

    // The live provider answered every ping meanwhile (ws does so by itself) and is still the same connection.
    const ws = watcher.provider.ws;
    await new Promise((r) => setTimeout(r, 5 * PING_MS));
    expect(watcher.provider.ws).toBe(ws);
    expect(watcher.provider.wsconnected).toBe(true);
    expect(h.sync.connections.countForUser(alice.id)).toBe(1);
    watcher.provider.destroy();
    ghost.ws.terminate();
    ghostAwareness.destroy();
  });
});
