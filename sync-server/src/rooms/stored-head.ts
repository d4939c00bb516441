// Answering a returning client before its cold document is loaded.
//
// Loading a large document means integrating its whole snapshot (a 2,000-task project with a 100,000-update
// history: 3.5 MB, about a second of CPU). A client that opens the board from IndexedDB already holds almost
// all of it: what it lacks is the log rows written since, plus deletions. So the server keeps, beside each
// snapshot, its state vector and its delete set (an update with no structs; see `snapshotOf`), and answers
// such a client's sync step 1 from those and the log rows after the snapshot: a few kilobytes read, no
// document built. The room loads meanwhile; frames the client sends wait for it (sync-server.ts).
//
// The snapshot's delete set goes out as stored, in an update frame of its own ahead of the step 2 that carries
// the log rows. Merging it into the rows cost more than everything else in the answer (100 kB of delete set
// for a 100,000-update history: 30-100 ms merged, then parsed again to diff it); the client applies the two
// parts in the same time as the merged one (~43 ms there). It also needs nothing but the client's step 1 and
// the snapshot's state vector, so it leaves first, on its own: the client integrates it (35-45 ms there)
// while the server merges the log rows for the step 2 (15-50 ms for 499 rows), instead of after.
//
// A client holding none of the snapshot (a new device) is answered the same way with the snapshot's state
// as stored ahead of the rows (the load's own read of it, shared): it integrates the 3.5 MB while the room
// loads, instead of after the load and the re-encoding of the whole document. A client holding part of it
// waits for the load. Any stored row that fails the structural check turns the shortcut off: the load
// quarantines such rows, and this module must never hand out what the load would refuse.
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { StoredHead as StoredHeadRows } from '../persistence/doc-store.ts';
import { checkStateVector, checkUpdateV1 } from '../yjs-guard/update-check.ts';
import { readStep1, savedFrame, SyncStep, syncFrame } from './messages.ts';

/** The stored form of a compacted document. `deleteSet` is what lets a later cold sync skip the load. */
export function snapshotOf(doc: Y.Doc): { state: Uint8Array; stateVector: Uint8Array; deleteSet: Uint8Array } {
  const stateVector = Y.encodeStateVector(doc);
  return { state: Y.encodeStateAsUpdate(doc), stateVector, deleteSet: Y.encodeStateAsUpdate(doc, stateVector) };
}

/**
 * `first`: frames that can leave at once (the snapshot's delete set, or for a new device its state); `rest()`:
 * the step 2 with the log rows the client lacks, a saved message for fieldboard.v1 and our step 1, or null if
 * the log rows cannot be merged after all (the load then answers: what `first` carried is part of its answer
 * too).
 */
export interface AnsweredHead {
  kind: 'answered';
  first: Uint8Array[];
  rest: () => Uint8Array[] | null;
  clientVector: Uint8Array;
}

export type HeadAnswer =
  | AnsweredHead
  /** A client holding none of the snapshot (a new device): answerable with the snapshot's state (`withSnapshot`). */
  | { kind: 'needs-snapshot'; clientVector: Uint8Array }
  | { kind: 'unanswerable' }
  | { kind: 'other' };

export class StoredHead {
  private readonly snapshotClocks: Map<number, number>;
  /** The snapshot's delete set as stored (null without a snapshot). */
  private readonly deleteSet: Uint8Array | null;
  /** Every log row after the snapshot, each structurally checked. */
  private readonly rows: Uint8Array[];
  /** The rows merged into one update (diffed per client) and the state vector; on first use, then kept. */
  private merged: { rows: Uint8Array; stateVector: Uint8Array } | null | undefined;

  private constructor(snapshotVector: Uint8Array | null, deleteSet: Uint8Array | null, rows: Uint8Array[]) {
    this.snapshotClocks = snapshotVector ? Y.decodeStateVector(snapshotVector) : new Map();
    this.deleteSet = deleteSet;
    this.rows = rows;
  }

  /** Null when the stored head cannot answer anyone (a snapshot from before delete sets were kept, a bad row). */
  static from(rows: StoredHeadRows): StoredHead | null {
    const snap = rows.snapshot;
    if (snap && (!snap.deleteSet || !checkStateVector(snap.stateVector).ok || !checkUpdateV1(snap.deleteSet).ok)) return null;
    for (const row of rows.updates) if (!checkUpdateV1(row.update).ok) return null;
    return new StoredHead(snap?.stateVector ?? null, snap?.deleteSet ?? null, rows.updates.map((r) => r.update));
  }

  /**
   * The server's state vector as stored: the snapshot's merged with the log rows after it. Null if the rows
   * cannot be merged (then no one is answered from this head).
   */
  get stateVector(): Uint8Array | null {
    return this.merge()?.stateVector ?? null;
  }

  /**
   * For a sync step 1 this head can answer: the snapshot's delete set (an update frame), our step 2, for
   * fieldboard.v1 a saved message (everything in the head is stored), and our step 1. 'needs-snapshot': a step
   * 1 from a client holding none of the snapshot (answer it with `withSnapshot`). 'unanswerable': a step 1 from
   * a client holding part of it, or with a malformed state vector. 'other': any other frame.
   */
  answer(frame: Uint8Array, wantsSaved: boolean): HeadAnswer {
    const clientVector = readStep1(frame);
    if (!clientVector) return { kind: 'other' };
    if (!checkStateVector(clientVector).ok) return { kind: 'unanswerable' };
    const held = this.snapshotHeld(clientVector);
    if (held === 'none') return { kind: 'needs-snapshot', clientVector };
    if (held === 'part') return { kind: 'unanswerable' };
    // The delete set before the step 2, so that a client is synced (y-websocket: on its first step 2) with
    // every deletion applied. Step 2 before our step 1: the client is up to date as soon as it applied it,
    // before it spends time answering our step 1 (encoding its whole delete set).
    const first = this.deleteSet ? [syncFrame(SyncStep.Update, this.deleteSet)] : [];
    return { kind: 'answered', first, rest: () => this.rest(clientVector, wantsSaved), clientVector };
  }

  /**
   * The answer to a client holding none of the snapshot (a new device), given the snapshot's state as stored
   * (already structurally checked): that state in an update frame of its own, sent as read (no document is
   * built, nothing is re-encoded), then the same step 2 with the log rows, saved message and step 1 as for a
   * returning client. The client integrates the snapshot while the room loads, instead of after.
   */
  withSnapshot(state: Uint8Array, clientVector: Uint8Array, wantsSaved: boolean): AnsweredHead {
    return { kind: 'answered', first: [syncFrame(SyncStep.Update, state)], rest: () => this.rest(clientVector, wantsSaved), clientVector };
  }

  private rest(clientVector: Uint8Array, wantsSaved: boolean): Uint8Array[] | null {
    const merged = this.merge();
    if (!merged) return null;
    // No log rows (a new project, or one compacted when it unloaded): nothing to diff.
    const step2 = merged.rows === EMPTY_UPDATE ? EMPTY_UPDATE : Y.diffUpdate(merged.rows, clientVector);
    const frames = [syncFrame(SyncStep.Step2, step2)];
    if (wantsSaved) frames.push(savedFrame(merged.stateVector));
    frames.push(syncFrame(SyncStep.Step1, merged.stateVector));
    return frames;
  }

  /**
   * How much of the snapshot's structs a client with this state vector holds. A client with part of it (last
   * online before the latest compaction) would need the snapshot diffed against its vector, which costs about
   * a tenth of a load (Y.diffUpdate: 130-900 ms for 3.5 MB here) on the event loop: the loaded room answers it.
   */
  private snapshotHeld(clientVector: Uint8Array): 'all' | 'part' | 'none' {
    if (this.snapshotClocks.size === 0) return 'all';
    const client = Y.decodeStateVector(clientVector);
    let all = true;
    let any = false;
    for (const [id, clock] of this.snapshotClocks) {
      const has = client.get(id) ?? 0;
      if (has < clock) all = false;
      if (has > 0) any = true;
    }
    return all ? 'all' : any ? 'part' : 'none';
  }

  private merge(): { rows: Uint8Array; stateVector: Uint8Array } | null {
    if (this.merged !== undefined) return this.merged;
    try {
      const rows = mergeMany(this.rows);
      if (rows === EMPTY_UPDATE) return (this.merged = { rows, stateVector: encodeClocks(this.snapshotClocks) });
      // Per writer, the log continues the snapshot only if it starts at or before the snapshot's clock; a row
      // beyond a gap is pending (as in the loaded document) and does not advance the vector. Gaps inside the
      // log are not seen here: Room.join compares this vector with the loaded one and re-syncs if they differ.
      const clocks = new Map(this.snapshotClocks);
      const { from, to } = Y.parseUpdateMeta(rows);
      for (const [client, end] of to) {
        const known = clocks.get(client) ?? 0;
        if ((from.get(client) ?? 0) <= known) clocks.set(client, Math.max(known, end));
      }
      this.merged = { rows, stateVector: encodeClocks(clocks) };
    } catch {
      this.merged = null;
    }
    return this.merged;
  }
}

/**
 * Y.mergeUpdates, in groups. Yjs re-sorts every input's reader for each struct it writes, so one call over n
 * small updates costs about n^2 log n comparisons: scenario 5's 499 log rows took 10-14 ms merged at once and
 * 6-7 ms in groups of 16 (the same bytes there; in general an equivalent update).
 */
export function mergeMany(updates: Uint8Array[]): Uint8Array {
  if (updates.length === 0) return EMPTY_UPDATE;
  let level = updates;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += MERGE_GROUP) next.push(Y.mergeUpdates(level.slice(i, i + MERGE_GROUP)));
    level = next;
  }
  return level[0]!;
}

const MERGE_GROUP = 16;

/** An update with no structs and an empty delete set. */
const EMPTY_UPDATE = new Uint8Array([0, 0]);

/** Same layout as Y.encodeStateVector: count, then (client, clock) pairs. */
function encodeClocks(clocks: Map<number, number>): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, clocks.size);
  for (const [client, clock] of [...clocks].sort((a, b) => b[0] - a[0])) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock);
  }
  return encoding.toUint8Array(e);
}
