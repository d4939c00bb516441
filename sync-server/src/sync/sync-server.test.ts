// The sync server over real WebSockets and real PostgreSQL, with stock y-websocket clients.
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode, MessageType } from '../../../shared/protocol.ts';
import { signAccessToken } from '../auth/tokens.ts';
import { MemoryDocStore } from '../persistence/memory-doc-store.ts';
import { awarenessFrame, SyncStep, syncFrame } from '../rooms/messages.ts';
import type { TestUser } from '../test/fixtures.ts';
import { connectProvider, rawSocket, startSyncHarness, waitFor, waitSynced, type SyncHarness } from './test-sync-server.ts';

let h: SyncHarness;
let alice: TestUser;
let bob: TestUser;
let vera: TestUser; // viewer
let mallory: TestUser; // not a member
let projectId: string;

beforeAll(async () => {
  h = await startSyncHarness();
  [alice, bob, vera, mallory] = await Promise.all([h.user(), h.user(), h.user(), h.user()]);
  projectId = await h.project([[alice, 'ADMIN'], [bob, 'MEMBER'], [vera, 'VIEWER']]);
});
afterAll(() => h.close());

function messageType(frame: Uint8Array): number {
  return decoding.readVarUint(decoding.createDecoder(frame));
}

describe('sync relay', () => {
  it('two stock clients converge live, and the server selects fieldboard.v1 without echoing the token', async () => {
    const a = connectProvider(h.wsUrl, projectId, alice.token);
    const b = connectProvider(h.wsUrl, projectId, bob.token);
    try {
      await Promise.all([waitSynced(a.provider), waitSynced(b.provider)]);
      expect(a.provider.ws?.protocol).toBe('fieldboard.v1');
      a.doc.getText('t').insert(0, 'hello ');
      b.doc.getMap('m').set('k', 'from bob');
      await waitFor(() => b.doc.getText('t').toString() === 'hello ' && a.doc.getMap('m').get('k') === 'from bob', 3000, 'convergence');
      expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
    } finally {
      a.provider.destroy();
      b.provider.destroy();
    }
  });

  it('a client edits offline, reconnects, and both converge', async () => {
    const a = connectProvider(h.wsUrl, projectId, alice.token);
    const b = connectProvider(h.wsUrl, projectId, bob.token, new Y.Doc(), 'y-websocket');
    try {
      await Promise.all([waitSynced(a.provider), waitSynced(b.provider)]);
      expect(b.provider.ws?.protocol).toBe('y-websocket');
      a.provider.disconnect();
      a.doc.getArray<string>('offline').push(['edited while offline']);
      b.doc.getArray<string>('online').push(['edited online meanwhile']);
      await new Promise((r) => setTimeout(r, 50));
      expect(b.doc.getArray('offline').length).toBe(0);
      a.provider.connect();
      await waitFor(() => b.doc.getArray('offline').length === 1 && a.doc.getArray('online').length === 1, 3000, 'convergence after reconnect');
      expect(Y.encodeStateAsUpdate(a.doc)).toEqual(Y.encodeStateAsUpdate(b.doc));
    } finally {
      a.provider.destroy();
      b.provider.destroy();
    }
  });

  it('a new device joining a large loaded project while another device edits converges with it', async () => {
    // 20,000 structs: over the size from which a loaded room encodes a new device's step 2 in steps.
    const p = await h.project([[alice, 'ADMIN'], [bob, 'MEMBER']]);
    const a = connectProvider(h.wsUrl, p, alice.token);
    let b: ReturnType<typeof connectProvider> | undefined;
    let editing: NodeJS.Timeout | undefined;
    try {
      await waitSynced(a.provider);
      const keys = a.doc.getMap<unknown>('keys');
      a.doc.transact(() => {
        for (let i = 0; i < 20_000; i++) keys.set(`k${i}`, i);
      });
      await waitFor(() => h.registry.get(p)?.doc.getMap('keys').size === 20_000, 5000, 'the room holds the keys');
      let n = 0;
      editing = setInterval(() => {
        a.doc.transact(() => {
          keys.set(`live${n}`, n);
          keys.delete(`k${n * 997}`);
        });
        n++;
      }, 20);
      b = connectProvider(h.wsUrl, p, bob.token);
      await waitSynced(b.provider, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      clearInterval(editing);
      const bKeys = b.doc.getMap('keys');
      await waitFor(() => bKeys.size === keys.size && Y.encodeStateVector(b!.doc).join() === Y.encodeStateVector(a.doc).join(), 5000, 'convergence');
      expect(n).toBeGreaterThan(0);
      expect(bKeys.toJSON()).toEqual(keys.toJSON());
    } finally {
      clearInterval(editing);
      a.provider.destroy();
      b?.provider.destroy();
    }
  });

  it('sends "saved" only to fieldboard.v1 connections, with a vector covering their update', async () => {
    const fb = rawSocket(`${h.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${alice.token}`]);
    const yws = rawSocket(`${h.wsUrl}/${projectId}`, ['y-websocket', `auth.${bob.token}`]);
    await Promise.all([fb.opened, yws.opened]);
    const doc = new Y.Doc();
    doc.getText('saved').insert(0, 'durable');
    fb.ws.send(syncFrame(SyncStep.Update, Y.encodeStateAsUpdate(doc)));
    await waitFor(() => fb.frames.some((f) => messageType(f) === MessageType.Saved && coversClient(f, doc.clientID, 7)), 3000, 'saved');
    await waitFor(() => yws.frames.some((f) => messageType(f) === MessageType.Sync && f.length > 10), 3000, 'relay to y-websocket peer');
    expect(yws.frames.some((f) => messageType(f) === MessageType.Saved)).toBe(false);
    const rows = await h.deps.sql`SELECT count(*)::int AS n FROM yjs_updates WHERE project_id = ${projectId} AND user_id = ${alice.id}`;
    expect(rows[0]!.n).toBeGreaterThan(0);
    fb.ws.close();
    yws.ws.close();
  });
});

function coversClient(savedFrame: Uint8Array, client: number, clock: number): boolean {
  const d = decoding.createDecoder(savedFrame);
  decoding.readVarUint(d);
  const sv = Y.decodeStateVector(decoding.readVarUint8Array(d));
  return (sv.get(client) ?? 0) >= clock;
}

describe('refusals', () => {
  const cases: [string, () => string[], () => string, number][] = [
    ['no auth subprotocol', () => ['fieldboard.v1'], () => projectId, CloseCode.Unauthenticated],
    ['a token that does not verify', () => ['fieldboard.v1', 'auth.not-a-jwt'], () => projectId, CloseCode.Unauthenticated],
    ['a non-member', () => ['fieldboard.v1', `auth.${mallory.token}`], () => projectId, CloseCode.NotFound],
    ['a project that does not exist (same code)', () => ['fieldboard.v1', `auth.${alice.token}`], () => '00000000-0000-4000-8000-000000000000', CloseCode.NotFound],
    ['a project id that is not a uuid', () => ['fieldboard.v1', `auth.${alice.token}`], () => 'nope', CloseCode.NotFound],
  ];
  for (const [name, protocols, project, code] of cases) {
    it(`closes ${name} with ${code}`, async () => {
      const s = rawSocket(`${h.wsUrl}/${project()}`, protocols());
      expect((await s.closed).code).toBe(code);
    });
  }

  it('ignores a token in the URL', async () => {
    const s = rawSocket(`${h.wsUrl}/${projectId}?token=${alice.token}`, ['fieldboard.v1']);
    expect((await s.closed).code).toBe(CloseCode.Unauthenticated);
  });

  it('refuses a foreign Origin and accepts an allowed one', async () => {
    const bad = rawSocket(`${h.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${alice.token}`], { origin: 'http://evil.example' });
    expect((await bad.closed).code).toBe(CloseCode.OriginNotAllowed);
    const good = rawSocket(`${h.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${alice.token}`], { origin: 'http://allowed.example' });
    await good.opened;
    await waitFor(() => good.frames.length > 0, 2000, 'first frame');
    good.ws.close();
  });

  it('closes an expired token at once, and a live one when it expires', async () => {
    const expired = await signAccessToken(h.config.jwtSecret, { userId: alice.id, sessionId: alice.sessionId }, 1, Date.now() - 10_000);
    const s = rawSocket(`${h.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${expired.token}`]);
    expect((await s.closed).code).toBe(CloseCode.TokenExpired);
    const short = await signAccessToken(h.config.jwtSecret, { userId: alice.id, sessionId: alice.sessionId }, 1);
    const t0 = Date.now();
    const live = rawSocket(`${h.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${short.token}`]);
    await live.opened;
    expect((await live.closed).code).toBe(CloseCode.TokenExpired);
    expect(Date.now() - t0).toBeLessThan(2500);
  });

  it('closes or downgrades connections on membership events within a second', async () => {
    const s = rawSocket(`${h.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${bob.token}`]);
    await s.opened;
    await waitFor(() => h.sync.connections.size > 0, 2000, 'registered');
    // Downgrade to VIEWER: the next write is refused.
    h.deps.events.emit('membership-changed', { projectId, userId: bob.id, role: 'VIEWER' });
    const doc = new Y.Doc();
    doc.getText('x').insert(0, 'after downgrade');
    s.ws.send(syncFrame(SyncStep.Update, Y.encodeStateAsUpdate(doc)));
    await waitFor(() => s.frames.some((f) => messageType(f) === MessageType.Auth), 2000, 'permission denied');
    const t0 = Date.now();
    h.deps.events.emit('membership-changed', { projectId, userId: bob.id, role: null });
    expect((await s.closed).code).toBe(CloseCode.MembershipChanged);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('keeps one room per project whatever the case of its id, and membership events match any spelling', async () => {
    const a = connectProvider(h.wsUrl, projectId, alice.token);
    const b = connectProvider(h.wsUrl, projectId.toUpperCase(), bob.token);
    try {
      await Promise.all([waitSynced(a.provider), waitSynced(b.provider)]);
      expect(h.sync.connections.size).toBeGreaterThanOrEqual(2);
      b.doc.getText('case').insert(0, 'upper-case URL');
      // Two rooms for one project would relay each edit to only half of the peers.
      await waitFor(() => a.doc.getText('case').toString() === 'upper-case URL', 3000, 'relay across spellings');
      const closed = new Promise<number>((resolve) => b.provider.ws?.addEventListener('close', (e) => resolve((e as CloseEvent).code)));
      h.deps.events.emit('membership-changed', { projectId: projectId.toUpperCase(), userId: bob.id.toUpperCase(), role: null });
      expect(await closed).toBe(CloseCode.MembershipChanged);
    } finally {
      a.provider.destroy();
      b.provider.destroy();
    }
  });

  it('refuses with ServerError when the document cannot be loaded, and never starts from an empty one', async () => {
    const store = new MemoryDocStore();
    const seed = new Y.Doc();
    seed.getText('t').insert(0, 'stored');
    await store.append({ projectId, updates: [{ update: Y.encodeStateAsUpdate(seed), userId: null }] });
    store.faults.load = () => new Error('storage unavailable');
    const broken = await startSyncHarness({ db: h.db, config: { jwtSecret: h.config.jwtSecret }, store: () => store });
    try {
      const s = rawSocket(`${broken.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${alice.token}`]);
      expect((await s.closed).code).toBe(CloseCode.ServerError);
      expect(broken.registry.get(projectId)).toBeUndefined();
      store.faults.load = undefined;
      const c = connectProvider(broken.wsUrl, projectId, alice.token);
      await waitSynced(c.provider);
      expect(c.doc.getText('t').toString()).toBe('stored');
      c.provider.destroy();
    } finally {
      await broken.close();
    }
  });

  it('enforces the per-user connection limit', async () => {
    const limited = await startSyncHarness({ db: h.db, config: { jwtSecret: h.config.jwtSecret }, sync: { maxConnectionsPerUser: 2 } });
    try {
      const socks = [0, 1].map(() => rawSocket(`${limited.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${alice.token}`]));
      await Promise.all(socks.map((s) => s.opened));
      await waitFor(() => limited.sync.connections.size === 2, 2000, 'two connections');
      const third = rawSocket(`${limited.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${alice.token}`]);
      expect((await third.closed).code).toBe(CloseCode.RateLimited);
      // A closed connection frees its place: the next one is accepted, and the one after it refused again.
      socks[0]!.ws.close();
      await waitFor(() => limited.sync.connections.size === 1, 2000, 'one connection left');
      const fourth = rawSocket(`${limited.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${alice.token}`]);
      await fourth.opened;
      await waitFor(() => limited.sync.connections.size === 2, 2000, 'two connections again');
      const fifth = rawSocket(`${limited.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${alice.token}`]);
      expect((await fifth.closed).code).toBe(CloseCode.RateLimited);
      expect(limited.sync.connections.countForUser(alice.id)).toBe(2);
      for (const s of [...socks, fourth]) s.ws.close();
      await waitFor(() => limited.sync.connections.size === 0, 2000, 'all closed');
      expect(limited.sync.connections.countForUser(alice.id)).toBe(0);
    } finally {
      await limited.close();
    }
  });
});

describe('read-only connections and awareness', () => {
  it('refuses a viewer update and sync step 2 with permission-denied; an empty step 2 is fine', async () => {
    const s = rawSocket(`${h.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${vera.token}`]);
    await s.opened;
    const room = await waitForRoom();
    const before = Y.encodeStateAsUpdate(room.doc);
    // An empty step 2 (a viewer that has nothing to add) is not a write.
    s.ws.send(syncFrame(SyncStep.Step2, Y.encodeStateAsUpdate(room.doc, Y.encodeStateVector(room.doc))));
    const doc = new Y.Doc();
    doc.getText('viewer').insert(0, 'should not land');
    const update = Y.encodeStateAsUpdate(doc);
    s.ws.send(syncFrame(SyncStep.Update, update));
    await waitFor(() => s.frames.filter((f) => messageType(f) === MessageType.Auth).length === 1, 2000, 'first permission denied');
    s.ws.send(syncFrame(SyncStep.Step2, update));
    await waitFor(() => s.frames.filter((f) => messageType(f) === MessageType.Auth).length === 2, 2000, 'second permission denied');
    expect(Y.encodeStateAsUpdate(room.doc)).toEqual(before);
    expect(room.doc.getText('viewer').toString()).toBe('');
    expect(s.ws.readyState).toBe(s.ws.OPEN);
    s.ws.close();
  });

  it('the stock client of a viewer gets permission-denied and its edit reaches nobody', async () => {
    const viewer = connectProvider(h.wsUrl, projectId, vera.token);
    const peer = connectProvider(h.wsUrl, projectId, alice.token);
    const denied: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void denied.push(String(args[0]));
    try {
      await Promise.all([waitSynced(viewer.provider), waitSynced(peer.provider)]);
      viewer.doc.getText('viewer-stock').insert(0, 'nope');
      await waitFor(() => denied.some((d) => d.includes('Permission denied')), 2000, 'permission denied in the provider');
      await new Promise((r) => setTimeout(r, 50));
      expect(peer.doc.getText('viewer-stock').toString()).toBe('');
    } finally {
      console.warn = warn;
      viewer.provider.destroy();
      peer.provider.destroy();
    }
  });

  it('drops awareness entries that name another connection\'s client id', async () => {
    const victim = connectProvider(h.wsUrl, projectId, alice.token);
    const watcher = connectProvider(h.wsUrl, projectId, bob.token);
    await Promise.all([waitSynced(victim.provider), waitSynced(watcher.provider)]);
    victim.provider.awareness.setLocalState({ name: 'Alice' });
    await waitFor(() => (watcher.provider.awareness.getStates().get(victim.doc.clientID) as { name?: string } | undefined)?.name === 'Alice', 2000, 'victim awareness');
    const attacker = rawSocket(`${h.wsUrl}/${projectId}`, ['fieldboard.v1', `auth.${bob.token}`]);
    await attacker.opened;
    const forged = encodeAwareness([[victim.doc.clientID, 999, { name: 'Mallory pretending' }], [4242, 1, { name: 'attacker' }]]);
    attacker.ws.send(awarenessFrame(forged));
    await waitFor(() => watcher.provider.awareness.getStates().has(4242), 2000, 'own awareness entry applied');
    expect((watcher.provider.awareness.getStates().get(victim.doc.clientID) as { name: string }).name).toBe('Alice');
    // Removing someone else's state is refused too.
    attacker.ws.send(awarenessFrame(encodeAwareness([[victim.doc.clientID, 1000, null]])));
    await new Promise((r) => setTimeout(r, 100));
    expect(watcher.provider.awareness.getStates().has(victim.doc.clientID)).toBe(true);
    expect(attacker.ws.readyState).toBe(attacker.ws.OPEN);
    attacker.ws.close();
    victim.provider.destroy();
    watcher.provider.destroy();
  });
});

function encodeAwareness(entries: [number, number, unknown][]): Uint8Array {
  const parts: number[] = [];
  const e = new (class {
    varUint(n: number) {
      while (n > 0x7f) {
        parts.push((n & 0x7f) | 0x80);
        n = Math.floor(n / 128);
      }
      parts.push(n);
    }
    str(s: string) {
      const b = new TextEncoder().encode(s);
      this.varUint(b.length);
      parts.push(...b);
    }
  })();
  e.varUint(entries.length);
  for (const [id, clock, state] of entries) {
    e.varUint(id);
    e.varUint(clock);
    e.str(JSON.stringify(state));
  }
  return new Uint8Array(parts);
}

async function waitForRoom() {
  await waitFor(() => !!h.registry.get(projectId), 2000, 'room loaded');
  return h.registry.get(projectId)!;
}
