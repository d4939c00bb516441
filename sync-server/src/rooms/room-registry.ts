// Loaded rooms by project id. A room is loaded on first use (a connection or a server write), kept while
// it has leases, and unloaded `idleUnloadMs` after the last lease goes, once everything is persisted (and
// compacted when the log is long enough to be worth folding). A failed load leaves nothing behind, so the
// next attempt loads again from storage.
import type { StoredHead as StoredHeadRows } from '../persistence/doc-store.ts';
import type { Room, RoomOptions } from './room.ts';
import { readSnapshotStateFrom, type CheckedState, type ReadSnapshotState } from './load-doc.ts';
import { Room as RoomClass } from './room.ts';
import { StoredHead } from './stored-head.ts';

export interface RegistryOptions extends RoomOptions {
  idleUnloadMs?: number;
  /**
   * Unloading (and shutdown) compacts only when at least this many log rows follow the snapshot. Replaying a
   * few rows at the next load costs less than rewriting the whole snapshot after a one-edit session (a 3.5 MB
   * document), and a thousand rooms leaving at once unload in milliseconds instead of seconds. Default 50.
   */
  unloadCompactRows?: number;
  /** Called after each load and each unload (the idle collector counts them). */
  onLoaded?: () => void;
  onUnloaded?: () => void;
}

interface LoadingRoom {
  headRows: Promise<StoredHeadRows>;
  /** Built on the first request only: merging the log rows costs milliseconds nobody else needs. */
  head: Promise<StoredHead | null> | null;
  /** Connections answering from the head; see greetWhileLoading. */
  greetings: Promise<void>[];
  /** The snapshot's state, read (and checked) once for the load and for a new device answered from it. */
  readState: ReadSnapshotState;
  room: Promise<Room>;
}

/** One read per snapshot, whoever asks first (the load, or a greeting for a new device). */
function sharedRead(read: ReadSnapshotState): ReadSnapshotState {
  const reads = new Map<string, Promise<CheckedState | null>>();
  return (lastUpdateId) => {
    let pending = reads.get(lastUpdateId);
    if (!pending) {
      pending = read(lastUpdateId);
      reads.set(lastUpdateId, pending);
    }
    return pending;
  };
}

const GREETING_WAIT_MS = 250;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, LoadingRoom>();
  private readonly idleTimers = new Map<Room, NodeJS.Timeout>();
  private closing = false;

  /** True once closeAll started: new connections are told to come back later (ServerShutdown). */
  get isClosing(): boolean {
    return this.closing;
  }

  constructor(private readonly opts: RegistryOptions) {}

  get(projectId: string): Room | undefined {
    return this.rooms.get(canonicalId(projectId));
  }

  get size(): number {
    return this.rooms.size;
  }

  all(): Room[] {
    return [...this.rooms.values()];
  }

  /**
   * While the room loads: the stored head to answer a returning client from (null inside when it cannot), and
   * the snapshot's state for a new device (the load's own read, shared; null without a snapshot or when one
   * replaced it). The load holds its CPU-heavy part until every such connection called `done` (it answered, or
   * saw it cannot), or GREETING_WAIT_MS passed: one second of integration must not sit before a 10 ms answer.
   */
  greetWhileLoading(anyCaseId: string): {
    head: Promise<StoredHead | null>;
    snapshotState: () => Promise<CheckedState | null>;
    done: () => void;
  } | null {
    const projectId = canonicalId(anyCaseId);
    const entry = this.rooms.has(projectId) ? undefined : this.loading.get(projectId);
    if (!entry) return null;
    entry.head ??= entry.headRows.then(
      (rows) => StoredHead.from(rows),
      () => null,
    );
    let done!: () => void;
    entry.greetings.push(new Promise<void>((resolve) => (done = resolve)));
    const snapshotState = () => entry.headRows.then((rows) => (rows.snapshot ? entry.readState(rows.snapshot.lastUpdateId) : null));
    return { head: entry.head, snapshotState, done };
  }

  /** Loads (or reuses) the room and takes a lease on it; pair with release(). */
  async acquire(anyCaseId: string): Promise<Room> {
    const projectId = canonicalId(anyCaseId);
    if (this.closing) throw new Error('server is shutting down');
    let room = this.rooms.get(projectId);
    if (!room) {
      let pending = this.loading.get(projectId)?.room;
      if (!pending) {
        // The light head (snapshot vector and delete set, log rows) first, then the snapshot's state: a
        // connection that asks for the head meanwhile (headWhileLoading) is answered before the load's
        // CPU-heavy integration starts, since its continuation runs before the state query's reply.
        const headRows = this.opts.store.loadHead(projectId);
        const entry: LoadingRoom = {
          headRows,
          head: null,
          greetings: [],
          readState: sharedRead(readSnapshotStateFrom(this.opts.store, projectId)),
          room: headRows
            .then(async (rows) => {
              if (entry.greetings.length) await Promise.race([Promise.all(entry.greetings), delay(GREETING_WAIT_MS)]);
              return RoomClass.load(projectId, this.opts, rows, entry.readState);
            })
            .then(
              (loaded) => {
                this.loading.delete(projectId);
                // Shutdown began while this room loaded: closeAll has already closed and dropped every room,
                // so this one would stay registered, with nobody to close it. Nothing was written to it yet.
                if (this.closing) {
                  loaded.destroy();
                  throw new Error('server is shutting down');
                }
                this.rooms.set(projectId, loaded);
                this.opts.metrics?.loadedRooms.set(this.rooms.size);
                this.opts.onLoaded?.();
                return loaded;
              },
              (error: unknown) => {
                this.loading.delete(projectId);
                throw error;
              },
            ),
        };
        this.loading.set(projectId, entry);
        pending = entry.room;
      }
      room = await pending;
    }
    room.leases++;
    const timer = this.idleTimers.get(room);
    if (timer) {
      clearTimeout(timer);
      this.idleTimers.delete(room);
    }
    return room;
  }

  release(room: Room): void {
    room.leases = Math.max(0, room.leases - 1);
    if (room.leases > 0 || this.closing || this.idleTimers.has(room)) return;
    const timer = setTimeout(() => {
      this.idleTimers.delete(room);
      void this.unload(room);
    }, this.opts.idleUnloadMs ?? 30_000);
    timer.unref();
    this.idleTimers.set(room, timer);
  }

  private async unload(room: Room): Promise<void> {
    await room.queue.whenIdle();
    await this.compactIfLong(room);
    // Someone may have come back while we were writing.
    if (room.leases > 0 || room.destroyed || this.rooms.get(room.projectId) !== room) return;
    if (!room.queue.idle) return this.release(room);
    this.rooms.delete(room.projectId);
    room.destroy();
    this.opts.metrics?.loadedRooms.set(this.rooms.size);
    this.opts.onUnloaded?.();
  }

  private async compactIfLong(room: Room): Promise<void> {
    if (room.logRows >= (this.opts.unloadCompactRows ?? 50)) await room.compact();
  }

  /** Shutdown: close every connection, write what is queued, compact, unload. */
  async closeAll(code: number, reason: string, timeoutMs = 10_000): Promise<void> {
    this.closing = true;
    for (const t of this.idleTimers.values()) clearTimeout(t);
    this.idleTimers.clear();
    const rooms = [...this.rooms.values()];
    for (const room of rooms) room.closeAll(code, reason);
    const flushAll = Promise.all(
      rooms.map(async (room) => {
        await room.queue.whenIdle();
        await this.compactIfLong(room);
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([flushAll.then(() => 'ok' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.opts.logger.error({ rooms: rooms.filter((r) => !r.queue.idle).map((r) => r.projectId) }, 'shutdown: some rooms could not be persisted in time');
    for (const room of rooms) room.destroy();
    this.rooms.clear();
    this.opts.metrics?.loadedRooms.set(0);
  }
}

/**
 * Project ids are UUIDs, which PostgreSQL compares without regard to case; a URL may spell one in upper case.
 * One spelling per project keeps one room per project (two rooms would each relay to only part of the peers).
 */
export function canonicalId(id: string): string {
  return id.toLowerCase();
}
