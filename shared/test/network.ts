// An in-memory network of Yjs replicas whose every delivery is decided by a seeded PRNG: messages are
// delayed, reordered, duplicated, dropped (sometimes resent later), and replicas disconnect and reconnect.
// In the spirit of yjs tests/testHelper.js (TestConnector) and tldraw's TestSocketPair, with the test in
// control of time: nothing happens unless `step`, `settle` or a sync call says so.
import * as Y from 'yjs';
import type { Rng } from './prng.ts';

/** Origin of updates applied by the network, so replicas never re-broadcast what they received. */
export const NETWORK_ORIGIN = Symbol('test-network');

export interface NetworkOptions {
  /** Ticks a message may wait before it can be delivered (0..maxDelay). */
  maxDelay: number;
  /** Per delivery: chance the message is also kept in flight for a second delivery. */
  duplicate: number;
  /** Per delivery: chance the message is lost instead. */
  drop: number;
  /** When lost: chance the sender resends the same bytes later (otherwise only a later sync repairs it). */
  resend: number;
}

export const DEFAULT_NETWORK: NetworkOptions = { maxDelay: 8, duplicate: 0.1, drop: 0.1, resend: 0.5 };

interface Message {
  from: number;
  to: number;
  update: Uint8Array;
  readyAt: number;
}

export interface NetworkStats {
  sent: number;
  delivered: number;
  duplicated: number;
  dropped: number;
  resent: number;
  syncs: number;
  /** Deliveries after which the receiver held structs or deletions back, waiting for missing updates. */
  leftPending: number;
}

export class TestNetwork {
  readonly docs: Y.Doc[];
  readonly online: boolean[];
  readonly stats: NetworkStats = { sent: 0, delivered: 0, duplicated: 0, dropped: 0, resent: 0, syncs: 0, leftPending: 0 };
  private inFlight: Message[] = [];
  private tick = 0;

  constructor(
    count: number,
    private readonly rng: Rng,
    private readonly options: NetworkOptions = DEFAULT_NETWORK,
  ) {
    this.docs = Array.from({ length: count }, (_, i) => {
      const doc = new Y.Doc();
      // Fixed client ids: a seed then replays the exact same Yjs conflict resolution.
      doc.clientID = 1000 + i * 7919 + rng.int(0, 999);
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== NETWORK_ORIGIN) this.broadcast(i, update);
      });
      return doc;
    });
    this.online = this.docs.map(() => true);
  }

  get pending(): number {
    return this.inFlight.length;
  }

  private send(from: number, to: number, update: Uint8Array): void {
    this.stats.sent++;
    this.inFlight.push({ from, to, update, readyAt: this.tick + this.rng.int(0, this.options.maxDelay) });
  }

  private broadcast(from: number, update: Uint8Array): void {
    if (!this.online[from]) return; // an offline replica's edits travel with its next sync
    for (let to = 0; to < this.docs.length; to++) if (to !== from && this.online[to]) this.send(from, to, update);
  }

  private deliver(m: Message): void {
    this.stats.delivered++;
    Y.applyUpdate(this.docs[m.to], m.update, NETWORK_ORIGIN);
    if (!nothingPending(this.docs[m.to])) this.stats.leftPending++;
  }

  /** Advances time by one tick and delivers (or loses, or duplicates) one random message that is due. */
  step(): void {
    this.tick++;
    const due = this.inFlight.filter((m) => m.readyAt <= this.tick);
    if (due.length === 0) return;
    const m = this.rng.pick(due);
    this.inFlight.splice(this.inFlight.indexOf(m), 1);
    if (this.rng.bool(this.options.drop)) {
      this.stats.dropped++;
      if (this.rng.bool(this.options.resend)) {
        this.stats.resent++;
        this.inFlight.push({ ...m, readyAt: this.tick + this.rng.int(1, this.options.maxDelay * 2 + 1) });
      }
      return;
    }
    if (this.rng.bool(this.options.duplicate)) {
      this.stats.duplicated++;
      this.inFlight.push({ ...m, readyAt: this.tick + this.rng.int(0, this.options.maxDelay) });
    }
    this.deliver(m);
  }

  /** Goes offline: messages to and from it are lost; its edits since then reach others on reconnect. */
  disconnect(i: number): void {
    this.online[i] = false;
    const before = this.inFlight.length;
    this.inFlight = this.inFlight.filter((m) => m.from !== i && m.to !== i);
    this.stats.dropped += before - this.inFlight.length;
  }

  /** Comes back online and runs the sync handshake (state vector -> missing updates) with every online peer. */
  reconnect(i: number): void {
    this.online[i] = true;
    for (let j = 0; j < this.docs.length; j++) if (j !== i && this.online[j]) this.syncPair(i, j, false);
  }

  /**
   * y-protocols sync steps 1 and 2 in both directions. Unreliable (default): the diffs travel as normal
   * messages and may be delayed, lost or duplicated too. Reliable: applied at once.
   */
  syncPair(a: number, b: number, reliable: boolean): void {
    this.stats.syncs++;
    const aToB = Y.encodeStateAsUpdate(this.docs[a], Y.encodeStateVector(this.docs[b]));
    const bToA = Y.encodeStateAsUpdate(this.docs[b], Y.encodeStateVector(this.docs[a]));
    if (reliable) {
      Y.applyUpdate(this.docs[b], aToB, NETWORK_ORIGIN);
      Y.applyUpdate(this.docs[a], bToA, NETWORK_ORIGIN);
    } else {
      this.send(a, b, aToB);
      this.send(b, a, bToA);
    }
  }

  /**
   * Full delivery: everyone reconnects, every message still in flight arrives (in random order, no more
   * losses), then every pair runs a reliable sync, which repairs whatever was lost earlier.
   */
  settle(): void {
    for (let i = 0; i < this.docs.length; i++) if (!this.online[i]) this.reconnect(i);
    while (this.inFlight.length > 0) {
      const m = this.inFlight.splice(this.rng.int(0, this.inFlight.length - 1), 1)[0];
      this.deliver(m);
    }
    for (let round = 0; round < 2; round++) {
      for (let a = 0; a < this.docs.length; a++) for (let b = a + 1; b < this.docs.length; b++) this.syncPair(a, b, true);
    }
  }

  destroy(): void {
    for (const doc of this.docs) doc.destroy();
  }
}

/** True when Yjs holds nothing back: no structs waiting for missing ones, no deletions of unknown structs. */
export function nothingPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs === null && doc.store.pendingDs === null;
}
