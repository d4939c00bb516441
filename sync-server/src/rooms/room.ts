// A room = one project's Y.Doc + awareness + its peers. It speaks the y-websocket protocol over the tiny
// SyncSocket interface, relays updates immediately and hands each one to the persist queue (group commit).
// It knows no ws and no SQL.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode, MessageType } from '../../../shared/protocol.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { DocStore, StoredHead as StoredHeadRows } from '../persistence/doc-store.ts';
import type { ProjectionRows } from '../../../shared/projection.ts';
import type { ActivityEntry, BatchEffects, ProjectionChanges } from '../persistence/effects.ts';
import { checkStateVector, checkUpdateV1, parseAwarenessUpdate } from '../yjs-guard/update-check.ts';
import { awarenessFrame, permissionDeniedFrame, savedFrame, SyncStep, syncFrame } from './messages.ts';
import { PersistQueue, type QueuedUpdate } from './persist-queue.ts';
import { ProtocolError, RoomConnection, WriterOrigin, type ConnectionInfo } from './room-connection.ts';
import type { SyncSocket } from './sync-socket.ts';
import { loadDoc, type ReadSnapshotState } from './load-doc.ts';
import { snapshotInSteps } from './stepped-snapshot.ts';
import { nextTurn, pauser } from './turns.ts';
import { carriesNews } from './update-news.ts';

/** Projections and activity for each transaction (see room-effects.ts); optional so rooms run without. */
export interface RoomEffects {
  onTransaction(tr: Y.Transaction, userId: string | null): { changes?: ProjectionChanges; activity?: ActivityEntry[] };
  fullProjection(): ProjectionRows;
}

export interface RoomOptions {
  store: DocStore;
  logger: Logger;
  metrics?: Metrics;
  /** Compact when this many log rows follow the snapshot. */
  compactThreshold?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  effects?: (doc: Y.Doc, projectId: string) => RoomEffects;
}

/** Most awareness client ids one connection may claim (a tab normally has one). */
const MAX_CLIENT_IDS_PER_CONNECTION = 8;
/** A compaction's encode yields the event loop after this long (rooms/stepped-snapshot.ts). */
const SNAPSHOT_SLICE_MS = 10;
/**
 * A new device's step 2 is encoded in steps from this many structs on (answerInSteps): about 6-18 ms of
 * Y.encodeStateAsUpdate here (the 3.5 MB bench project has 233,000 structs and took 88-260 ms).
 */
const STEPPED_ANSWER_FROM_STRUCTS = 16_384;

export class Room {
  readonly conns = new Set<RoomConnection>();
  readonly awareness: awarenessProtocol.Awareness;
  readonly queue: PersistQueue;
  /** Connections plus in-flight server writes that keep the room loaded. */
  leases = 0;
  private persistedStateVector: Uint8Array;
  private rowsSinceSnapshot: number;
  private lastUpdateId: string | null;
  private readonly owners = new Map<number, RoomConnection>();
  private readonly effects: RoomEffects | undefined;
  private resyncProjection = false;
  private seq = 0;
  private committedSeq = 0;
  private commitWaiters: { seq: number; resolve: () => void }[] = [];
  private compacting: Promise<void> | null = null;
  destroyed = false;
  // A room's callbacks are prototype methods bound once, not arrow functions in class fields or option
  // objects: the server runs under tsx, whose esbuild keepNames wraps every such arrow in __name(), and
  // redefining a function's `name` gives it dictionary-mode properties (~270 bytes more per function).
  // Seven per room were 1.9 kB of a loaded room's ~38 kB of live heap (bench scenario 4).
  private readonly onAwarenessUpdate = this.awarenessChanged.bind(this);
  private readonly onDocUpdate = this.docChanged.bind(this);

  /**
   * `head`: the store's head, when already read (the snapshot's state is then read on its own, with
   * `readState` when given).
   */
  static async load(projectId: string, opts: RoomOptions, head?: StoredHeadRows, readState?: ReadSnapshotState): Promise<Room> {
    const loaded = await loadDoc(projectId, opts.store, opts.logger, opts.metrics, head, readState);
    // After a large load, the projection of every task the room's effects start from (40-90 ms for 2,000 tasks)
    // gets its own turn: the load closed its last Yjs transaction in this one. A small load goes straight on.
    if (loaded.stepped) await nextTurn();
    const room = new Room(projectId, loaded.doc, loaded.rows, loaded.lastUpdateId, opts);
    // A long log (or quarantined rows) is folded into a snapshot right away, so the next load is short.
    if (loaded.rows >= (opts.compactThreshold ?? 500) || loaded.quarantined.length) void room.compact();
    return room;
  }

  private constructor(
    readonly projectId: string,
    readonly doc: Y.Doc,
    rows: number,
    lastUpdateId: string | null,
    private readonly opts: RoomOptions,
  ) {
    this.rowsSinceSnapshot = rows;
    this.lastUpdateId = lastUpdateId;
    this.persistedStateVector = Y.encodeStateVector(doc);
    this.effects = opts.effects?.(doc, projectId);
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.queue = new PersistQueue({
      projectId,
      store: opts.store,
      logger: opts.logger,
      metrics: opts.metrics,
      retryBaseMs: opts.retryBaseMs,
      retryMaxMs: opts.retryMaxMs,
      captureStateVector: this.stateVector.bind(this),
      onCommitted: this.committed.bind(this),
      takeExtraEffects: this.takeResync.bind(this),
      onEffectsFailed: this.scheduleResync.bind(this),
    });
    doc.on('update', this.onDocUpdate);
  }

  /**
   * `greeted`: the connection was already answered from the stored head while the room loaded (it holds our
   * step 1 and got its step 2 for `greeted.clientVector`); it only needs what the load found beyond that head.
   * `openSync: false`: the caller sends our step 1 later (`openSync`), after answering the client's step 1 that
   * is already in hand.
   */
  join(socket: SyncSocket, info: ConnectionInfo, greeted?: { headVector: Uint8Array; clientVector: Uint8Array }, opts: { openSync?: boolean } = {}): RoomConnection {
    const conn = new RoomConnection(socket, info);
    this.conns.add(conn);
    if (!greeted) {
      if (opts.openSync !== false) this.openSync(conn);
    } else {
      const loaded = Y.encodeStateVector(this.doc);
      if (!equalBytes(greeted.headVector, loaded)) {
        // The loaded document is not what the head described (another writer moved storage in between, or
        // the log had a gap): send what the client lacks, and re-open the sync so it sends what we lack.
        conn.send(syncFrame(SyncStep.Update, Y.encodeStateAsUpdate(this.doc, greeted.clientVector)));
        conn.send(syncFrame(SyncStep.Step1, loaded));
      }
    }
    const states = this.awareness.getStates();
    if (states.size > 0) conn.send(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
    return conn;
  }

  /** The server opens the sync: its state vector (the client answers with step 2, what we lack). */
  openSync(conn: RoomConnection): void {
    conn.send(syncFrame(SyncStep.Step1, Y.encodeStateVector(this.doc)));
  }

  leave(conn: RoomConnection): void {
    if (!this.conns.delete(conn)) return;
    const mine = [...conn.clientIds].filter((id) => this.owners.get(id) === conn);
    for (const id of mine) this.owners.delete(id);
    if (mine.length) awarenessProtocol.removeAwarenessStates(this.awareness, mine, null);
  }

  /** Handles one frame. Throws ProtocolError for frames that break the protocol. */
  receive(conn: RoomConnection, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    let type: number;
    try {
      type = decoding.readVarUint(decoder);
      switch (type) {
        case MessageType.Sync: {
          const step = decoding.readVarUint(decoder);
          const payload = decoding.readVarUint8Array(decoder);
          expectEnd(decoder);
          return this.receiveSync(conn, step, payload);
        }
        case MessageType.Awareness: {
          const payload = decoding.readVarUint8Array(decoder);
          expectEnd(decoder);
          return this.receiveAwareness(conn, payload);
        }
        case MessageType.QueryAwareness: {
          const states = this.awareness.getStates();
          if (states.size) conn.send(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
          return;
        }
        case MessageType.Auth:
          return; // clients have nothing to say over this channel
        default:
          throw new ProtocolError(CloseCode.MalformedMessage, `unknown message type ${type}`);
      }
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      throw new ProtocolError(CloseCode.MalformedMessage, `unreadable frame: ${(error as Error).message}`);
    }
  }

  private receiveSync(conn: RoomConnection, step: number, payload: Uint8Array): void {
    if (step === SyncStep.Step1) {
      const check = checkStateVector(payload);
      if (!check.ok) throw new ProtocolError(CloseCode.MalformedMessage, `bad state vector: ${check.reason}`);
      if (Y.decodeStateVector(payload).size === 0 && this.largeEnoughToStep()) return this.answerInSteps(conn);
      conn.send(syncFrame(SyncStep.Step2, Y.encodeStateAsUpdate(this.doc, payload)));
      if (conn.wantsSaved) conn.send(savedFrame(this.persistedStateVector));
      return;
    }
    if (step !== SyncStep.Step2 && step !== SyncStep.Update) throw new ProtocolError(CloseCode.MalformedMessage, `unknown sync step ${step}`);
    const check = checkUpdateV1(payload);
    if (!check.ok) throw new ProtocolError(CloseCode.MalformedMessage, `bad update: ${check.reason}`);
    this.opts.metrics?.updatesReceived.inc();
    if (!conn.canWrite) {
      // Silently dropping would let the viewer's client believe it saved.
      if (carriesNews(this.doc, payload)) conn.send(permissionDeniedFrame('read-only: your role cannot edit this board'));
      return;
    }
    Y.applyUpdate(this.doc, payload, conn);
    if (!conn.wantsSaved) return;
    if (this.queue.idle) {
      // Nothing new (or only parts waiting for missing dependencies): tell our client what is durable now.
      conn.send(savedFrame(this.persistedStateVector));
    } else {
      // Whatever this frame carried (new, or a duplicate of something another peer sent) is in the queue
      // at or before the current sequence number: acknowledge once the commit reaching it lands.
      if (conn.unackedFrom === 0) conn.unackedFrom = this.seq;
      conn.unackedTo = this.seq;
    }
  }

  private largeEnoughToStep(): boolean {
    // Pending structs or deletions would make snapshotInSteps encode in one stretch anyway (twice, in fact).
    if (this.doc.store.pendingStructs || this.doc.store.pendingDs) return false;
    let structs = 0;
    for (const list of this.doc.store.clients.values()) structs += list.length;
    return structs >= STEPPED_ANSWER_FROM_STRUCTS;
  }

  /**
   * A new device (holding nothing) on a large document gets the whole state encoded in steps, the event loop
   * turning between them, as a compaction encodes it: Y.encodeStateAsUpdate of the 3.5 MB bench project held
   * every room of the process for 88-260 ms (the steps: at most 18-24 ms). The connection is in the room
   * meanwhile, so every change made during the steps reaches it relayed, ahead of this step 2; Yjs keeps those
   * that depend on the step 2's content pending until it arrives, and the step 2 holds each struct as it was
   * when written (what changed after that came relayed). The client is synced, as always, on the step 2.
   */
  private answerInSteps(conn: RoomConnection): void {
    snapshotInSteps(this.doc, pauser(SNAPSHOT_SLICE_MS)).then(
      ({ state }) => {
        if (this.destroyed || !this.conns.has(conn)) return;
        conn.send(syncFrame(SyncStep.Step2, state));
        if (conn.wantsSaved) conn.send(savedFrame(this.persistedStateVector));
      },
      (error: unknown) => {
        this.opts.logger.error({ err: (error as Error).message, projectId: this.projectId }, 'encoding a step 2 in steps failed; closing the connection');
        if (this.conns.has(conn)) conn.socket.close(CloseCode.ServerError, 'server error');
      },
    );
  }

  private receiveAwareness(conn: RoomConnection, payload: Uint8Array): void {
    const entries = parseAwarenessUpdate(payload);
    if (!entries) throw new ProtocolError(CloseCode.MalformedMessage, 'bad awareness update');
    const kept = entries.filter((e) => {
      const owner = this.owners.get(e.clientId);
      if (owner === conn) return true;
      // Stock providers re-broadcast others' states: drop those entries, keep the rest of the message.
      if (owner || e.state === null || e.clientId === this.doc.clientID || conn.clientIds.size >= MAX_CLIENT_IDS_PER_CONNECTION) {
        this.opts.metrics?.awarenessRefused.inc();
        return false;
      }
      this.owners.set(e.clientId, conn);
      conn.clientIds.add(e.clientId);
      return true;
    });
    if (!kept.length) return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, kept.length);
    for (const entry of kept) {
      encoding.writeVarUint(e, entry.clientId);
      encoding.writeVarUint(e, entry.clock);
      encoding.writeVarString(e, JSON.stringify(entry.state));
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encoding.toUint8Array(e), conn);
    for (const entry of kept) {
      if (entry.state === null && this.owners.get(entry.clientId) === conn) {
        this.owners.delete(entry.clientId);
        conn.clientIds.delete(entry.clientId);
      }
    }
  }

  private stateVector(): Uint8Array {
    return Y.encodeStateVector(this.doc);
  }

  private takeResync(): Partial<BatchEffects> | undefined {
    if (!this.resyncProjection || !this.effects) return undefined;
    this.resyncProjection = false;
    return { fullResync: this.effects.fullProjection() };
  }

  private scheduleResync(): void {
    this.resyncProjection = true;
  }

  private awarenessChanged({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }): void {
    const changed = added.concat(updated, removed);
    if (!changed.length) return;
    const frame = awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    for (const c of this.conns) c.send(frame);
  }

  private docChanged(update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction): void {
    // Peers first: their latency should not include the projection work below.
    // The frame is a copy of the update: built only when someone is there to receive it (a room with one
    // client would otherwise make a second update-sized buffer per update, held until the next GC).
    let frame: Uint8Array | undefined;
    let relayed = 0;
    for (const c of this.conns) if (c !== origin && c.open && c.send((frame ??= syncFrame(SyncStep.Update, update)))) relayed++;
    if (relayed) this.opts.metrics?.updatesRelayed.inc(relayed);
    const userId = origin instanceof RoomConnection ? origin.info.userId : origin instanceof WriterOrigin ? origin.userId : null;
    const entry: QueuedUpdate & { seq: number } = { update, userId, queuedAt: performance.now(), seq: ++this.seq };
    if (this.effects) {
      try {
        Object.assign(entry, this.effects.onTransaction(tr, userId));
      } catch (error) {
        // A projection bug must never block the log: resync the whole projection with the next commit.
        this.opts.logger.error({ err: error, projectId: this.projectId }, 'projection of a transaction failed; full resync scheduled');
        this.resyncProjection = true;
      }
    }
    this.queue.enqueue(entry);
  }

  private committed(stateVector: Uint8Array, batch: QueuedUpdate[], lastId: string): void {
    this.persistedStateVector = stateVector;
    this.rowsSinceSnapshot += batch.length;
    this.lastUpdateId = lastId;
    const top = (batch[batch.length - 1] as QueuedUpdate & { seq?: number }).seq ?? this.committedSeq;
    this.committedSeq = Math.max(this.committedSeq, top);
    // Only connections whose writes this commit covers hear about it: peers without outstanding writes
    // need no ack (in a 50-client room that is 49 frames saved per commit), and an ack must never be read
    // as covering a change the server has not received from that client.
    const frame = savedFrame(stateVector);
    for (const c of this.conns) {
      if (c.unackedFrom === 0 || c.unackedFrom > this.committedSeq || !c.send(frame)) continue;
      if (c.unackedTo <= this.committedSeq) c.unackedFrom = c.unackedTo = 0;
      else c.unackedFrom = this.committedSeq + 1;
    }
    const now = performance.now();
    for (const u of batch) this.opts.metrics?.savedAckLatency.observe((now - u.queuedAt) / 1000);
    this.commitWaiters = this.commitWaiters.filter((w) => (w.seq <= this.committedSeq ? (w.resolve(), false) : true));
    if (this.rowsSinceSnapshot >= (this.opts.compactThreshold ?? 500)) void this.compact().catch(() => undefined);
  }

  /** Runs `fn` in one transaction attributed to `userId`; `committed` resolves when it is durable. */
  transactAs<T>(userId: string, fn: (doc: Y.Doc) => T): { result: T; committed: Promise<void> } {
    const before = this.seq;
    let result!: T;
    this.doc.transact(() => {
      result = fn(this.doc);
    }, new WriterOrigin(userId));
    const seq = this.seq;
    if (seq === before || seq <= this.committedSeq) return { result, committed: Promise.resolve() };
    return { result, committed: new Promise((resolve) => this.commitWaiters.push({ seq, resolve })) };
  }

  /** Log rows after the stored snapshot (what a load would replay). */
  get logRows(): number {
    return this.rowsSinceSnapshot;
  }

  /** The persisted state vector (what the last saved message said). */
  get persisted(): Uint8Array {
    return this.persistedStateVector;
  }

  /**
   * Folds the log rows committed so far into a new snapshot, while the room goes on relaying and appending.
   * The rows folded are those up to the last committed id when this starts: the document already holds every
   * one of them (an update is applied before it is queued), and the snapshot encodes at least that document.
   * Rows committed meanwhile get larger ids (a room has one batch in flight, sent after the previous one
   * landed), so the store's delete (ids <= the mark) leaves them for the next load to replay; where the
   * snapshot already holds them, replaying them is a no-op. Appends used to wait for a compaction: 6 ms of
   * encoding and ~33 ms of the store's transaction (one run of bench scenario 3, up to 1,000 updates/s), a stall
   * of the room's saved acknowledgements every 500 rows.
   */
  compact(): Promise<void> {
    if (this.compacting) return this.compacting;
    this.compacting = (async () => {
      if (this.rowsSinceSnapshot === 0 || this.lastUpdateId === null || this.destroyed) return;
      const count = this.rowsSinceSnapshot;
      const lastUpdateId = this.lastUpdateId;
      // Encoded in steps (rooms/stepped-snapshot.ts): what changes during it reaches the next load through
      // later rows.
      const snapshot = await snapshotInSteps(this.doc, pauser(SNAPSHOT_SLICE_MS));
      await this.opts.store.compact(this.projectId, { ...snapshot, lastUpdateId, updateCount: count });
      this.rowsSinceSnapshot -= count;
      this.opts.metrics?.compactions.inc();
    })()
      .catch((error: Error) => {
        this.opts.logger.error({ err: error.message, projectId: this.projectId }, 'compaction failed; the log stays as it is');
      })
      .finally(() => {
        this.compacting = null;
      });
    return this.compacting;
  }

  /** Close every connection with `code` (they reconnect elsewhere or later). */
  closeAll(code: number, reason: string): void {
    for (const c of [...this.conns]) {
      this.leave(c);
      try {
        c.socket.close(code, reason);
      } catch {
        // already gone
      }
    }
  }

  destroy(): void {
    this.destroyed = true;
    this.queue.close();
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.off('update', this.onDocUpdate);
    this.doc.destroy();
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) throw new ProtocolError(CloseCode.MalformedMessage, 'trailing bytes after message');
}
