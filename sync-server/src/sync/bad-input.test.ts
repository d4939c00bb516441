// Malformed, truncated, oversized and hostile frames (including the yjs #687 payload), rate limits and the
// metrics that count them. A bad frame closes only its own connection.
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../../shared/protocol.ts';
import { SyncStep, syncFrame } from '../rooms/messages.ts';
import type { TestUser } from '../test/fixtures.ts';
import { POISON_687 } from '../yjs-guard/poison.ts';
import { connectProvider, rawSocket, startSyncHarness, waitFor, waitSynced, type SyncHarness } from './test-sync-server.ts';

let h: SyncHarness;
let alice: TestUser;
let bob: TestUser;
let projectA: string;
let projectB: string;

beforeAll(async () => {
  h = await startSyncHarness({ config: { maxFrameBytes: 8 * 1024 }, sync: { messageBurst: 50, messagesPerSecond: 20 } });
  [alice, bob] = await Promise.all([h.user(), h.user()]);
  projectA = await h.project([[alice, 'ADMIN'], [bob, 'MEMBER']]);
  projectB = await h.project([[alice, 'ADMIN'], [bob, 'MEMBER']]);
});
afterAll(() => h.close());

async function open(projectId = projectA, user = alice) {
  const s = rawSocket(`${h.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${user.token}`]);
  await s.opened;
  await waitFor(() => s.frames.length > 0, 2000, 'server hello');
  return s;
}

describe('bad frames close only their own connection', () => {
  const bad: [string, () => Uint8Array | string, number][] = [
    ['an unknown message type', () => Uint8Array.from([7, 0]), CloseCode.MalformedMessage],
    ['a truncated sync update', () => syncFrame(SyncStep.Update, Y.encodeStateAsUpdate(docWith('truncated'))).subarray(0, 12), CloseCode.MalformedMessage],
    ['an update that is not a Yjs V1 update', () => syncFrame(SyncStep.Update, Uint8Array.from([1, 2, 3, 4, 5])), CloseCode.MalformedMessage],
    ['trailing bytes after a message', () => Uint8Array.from([...syncFrame(SyncStep.Step1, Uint8Array.from([0])), 9]), CloseCode.MalformedMessage],
    ['a text frame', () => 'hello', CloseCode.MalformedMessage],
    ['a frame over MAX_FRAME_BYTES', () => syncFrame(SyncStep.Update, Y.encodeStateAsUpdate(docWith('x'.repeat(20_000)))), CloseCode.MessageTooLarge],
  ];
  for (const [name, frame, code] of bad) {
    it(`${name} -> ${code}`, async () => {
      const bystander = connectProvider(h.wsUrl, projectA, bob.token);
      await waitSynced(bystander.provider);
      const room = h.registry.get(projectA)!;
      const before = Y.encodeStateAsUpdate(room.doc);
      const s = await open();
      s.ws.send(frame());
      expect((await s.closed).code).toBe(code);
      expect(Y.encodeStateAsUpdate(room.doc)).toEqual(before);
      expect(bystander.provider.wsconnected).toBe(true);
      bystander.provider.destroy();
    });
  }

  it('rate-limits a flooding connection', async () => {
    const s = await open(projectA, bob);
    for (let i = 0; i < 200; i++) s.ws.send(syncFrame(SyncStep.Step1, Y.encodeStateVector(new Y.Doc())));
    expect((await s.closed).code).toBe(CloseCode.RateLimited);
  });
});

function getStatus(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

function docWith(text: string): Y.Doc {
  const d = new Y.Doc();
  d.getText('t').insert(0, text);
  return d;
}

describe('yjs #687', () => {
  it('the payload is refused at once; other rooms keep relaying and /health answers within 50 ms', async () => {
    const a = connectProvider(h.wsUrl, projectB, alice.token);
    const b = connectProvider(h.wsUrl, projectB, bob.token);
    await Promise.all([waitSynced(a.provider), waitSynced(b.provider)]);
    let stop = false;
    let relayed = 0;
    b.doc.getArray('ticks').observe(() => relayed++);
    const ticker = (async () => {
      for (let i = 0; !stop; i++) {
        a.doc.getArray('ticks').push([i]);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const attackers = await Promise.all([open(projectA), open(projectA, bob)]);
    const agent = new Agent({ keepAlive: true });
    await getStatus(`${h.httpUrl}/health`, agent); // open the keep-alive connection first
    // As a sync update and as sync step 2; each closes only the sender.
    attackers[0]!.ws.send(syncFrame(SyncStep.Update, POISON_687));
    attackers[1]!.ws.send(syncFrame(SyncStep.Step2, POISON_687));
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      expect(await getStatus(`${h.httpUrl}/health`, agent)).toBe(200);
      latencies.push(performance.now() - t0);
    }
    agent.destroy();
    const codes = await Promise.all(attackers.map(async (s) => (await s.closed).code));
    expect(codes).toEqual([CloseCode.MalformedMessage, CloseCode.MalformedMessage]);
    const relayedBefore = relayed;
    await waitFor(() => relayed > relayedBefore + 3, 2000, 'relay in another room continues');
    stop = true;
    await ticker;
    if (process.env.DEBUG_LATENCY) console.log({ healthMs: latencies });
    // The median must meet the 50 ms budget. Single samples on a shared 2-core machine under load are
    // noisy, but a stalled event loop (the #687 hang) would fail every sample, not just one.
    const sorted = [...latencies].sort((x, y) => x - y);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(50);
    expect(sorted.at(-1)).toBeLessThan(500);
    a.provider.destroy();
    b.provider.destroy();
  });
});

describe('a poison row already in yjs_updates', () => {
  it('is quarantined (skipped, counted) and the document loads quickly with everything else', async () => {
    const projectC = await h.project([[alice, 'ADMIN']]);
    const good = docWith('kept next to the poison');
    await h.deps.sql`INSERT INTO yjs_updates (project_id, update) VALUES (${projectC}, ${Buffer.from(POISON_687)})`;
    await h.deps.sql`INSERT INTO yjs_updates (project_id, update) VALUES (${projectC}, ${Buffer.from(Y.encodeStateAsUpdate(good))})`;
    const t0 = performance.now();
    const c = connectProvider(h.wsUrl, projectC, alice.token);
    await waitSynced(c.provider);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(c.doc.getText('t').toString()).toBe('kept next to the poison');
    const text = await (await fetch(`${h.httpUrl}/metrics`)).text();
    expect(text).toMatch(/fieldboard_sync_quarantined_updates_total 1/);
    c.provider.destroy();
  });
});

describe('metrics', () => {
  it('serves Prometheus text with connections, rooms, updates, persistence, saved acks and refusals by code name', async () => {
    const res = await fetch(`${h.httpUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const name of [
      'fieldboard_sync_open_connections',
      'fieldboard_sync_loaded_rooms',
      'fieldboard_sync_updates_received_total',
      'fieldboard_sync_updates_relayed_total',
      'fieldboard_sync_persist_batch_updates_bucket',
      'fieldboard_sync_persist_seconds_bucket',
      'fieldboard_sync_saved_ack_seconds_bucket',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/fieldboard_sync_refusals_total\{code="MalformedMessage"\} [1-9]/);
    expect(text).toMatch(/fieldboard_sync_refusals_total\{code="MessageTooLarge"\} 1/);
    expect(text).toMatch(/fieldboard_sync_refusals_total\{code="RateLimited"\} 1/);
    expect(text).toMatch(/fieldboard_sync_loaded_rooms 3/);
  });
});
