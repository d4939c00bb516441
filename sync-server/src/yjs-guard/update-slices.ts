// Cuts one large V1 update into pieces that Yjs integrates one after another, so that a caller can let the event
// loop turn between them. `Y.applyUpdate` of a 3.5 MB project snapshot holds the process for 0.8-2 s; in the
// sync server every other room waits that long (no relay, no saved acknowledgement, no new connection).
//
// Every piece is causally closed over the pieces before it: a struct goes into a piece only once what Yjs needs
// to integrate it is in that piece or an earlier one (its client's previous struct, its origin, its right
// origin, its parent item). So no piece leaves structs pending, and the document after the last piece is the
// one a single apply builds: a CRDT's state does not depend on the order of causally ordered updates. The
// delete set goes with the last piece, once every struct it may name is there.
//
// Structs are copied as bytes: in V1 each struct is encoded on its own (no run-length or delta coding across
// structs, unlike V2), so a run of them is valid after a new header (count, client, first clock). The first
// clock of each run is computed from the lengths of the structs before it, which is why readItemContent returns
// each content's clock length.
import * as encoding from 'lib0/encoding';
import { Malformed, Reader, readItemContent } from './v1-reader.ts';

/** One client's structs in the update: where each starts (byte offset) and its clock. */
interface ClientRun {
  client: number;
  starts: number[];
  clocks: number[];
  /** Byte offset just after the last struct, and the clock just after it. */
  endOffset: number;
  endClock: number;
  /** The next struct not yet given to a piece, and the first struct of the piece being filled. */
  cursor: number;
  pieceStart: number;
  /** Runs waiting for this one to pass a clock: they are blocked on a struct of this run. */
  waiters: { run: number; clock: number }[];
}

export interface SlicePlan {
  /** Client id -> the clock just after its last struct in the update (its entry in the state vector after it). */
  endClocks: Map<number, number>;
  structs: number;
  /**
   * The pieces, each a V1 update of about `pieceBytes` of structs (a struct is never split), built as you go.
   * One cut at a time: a new call starts over.
   */
  pieces(pieceBytes: number): Generator<Uint8Array>;
}

/**
 * Reads the update's struct layout. Null when it cannot be sliced: bytes that are not a well-formed V1 update
 * (check them with checkUpdateV1 first), or an update that is not a whole document's state: a client starting
 * past clock 0, or a Skip struct (gaps in a client's clocks, whose structs stay pending whatever the order).
 */
export function planSlices(update: Uint8Array): SlicePlan | null {
  const r = new Reader(update);
  const runs: ClientRun[] = [];
  let structs = 0;
  let deleteSetStart: number;
  try {
    const clientCount = r.count(3);
    for (let c = 0; c < clientCount; c++) {
      const count = r.count(2);
      const client = r.varUint();
      let clock = r.varUint();
      // A state starts every client at clock 0 (GC structs stand for what was collected): a later start is a
      // gap, whose structs stay pending whatever the order.
      if (clock !== 0) return null;
      const run: ClientRun = { client, starts: [], clocks: [], endOffset: 0, endClock: 0, cursor: 0, pieceStart: 0, waiters: [] };
      for (let s = 0; s < count; s++) {
        run.starts.push(r.pos);
        run.clocks.push(clock);
        const info = r.u8();
        const ref = info & 0x1f;
        if (ref === 10) return null; // Skip
        if (ref === 0) {
          clock += r.varUint(); // GC
          continue;
        }
        if (info & 0x80) { r.varUint(); r.varUint(); } // origin
        if (info & 0x40) { r.varUint(); r.varUint(); } // right origin
        if ((info & 0xc0) === 0) {
          if (r.varUint() === 1) r.skipString(); // root type name
          else { r.varUint(); r.varUint(); } // parent item id
          if (info & 0x20) r.skipString(); // parentSub
        }
        clock += readItemContent(r, ref);
      }
      run.endOffset = r.pos;
      run.endClock = clock;
      structs += count;
      runs.push(run);
    }
    deleteSetStart = r.pos;
    const dsClients = r.count(2);
    for (let c = 0; c < dsClients; c++) {
      r.varUint(); // client
      const ranges = r.count(2);
      for (let i = 0; i < ranges; i++) { r.varUint(); r.varUint(); } // clock, length
    }
    r.end();
  } catch (error) {
    if (error instanceof Malformed || error instanceof RangeError) return null;
    throw error;
  }
  const endClocks = new Map<number, number>();
  for (const run of runs) endClocks.set(run.client, run.endClock);
  if (endClocks.size !== runs.length) return null; // a client twice: not what Yjs writes
  const deleteSet = update.subarray(deleteSetStart);
  return { endClocks, structs, pieces: (pieceBytes) => cut(update, runs, deleteSet, pieceBytes) };
}

function* cut(update: Uint8Array, runs: ClientRun[], deleteSet: Uint8Array, pieceBytes: number): Generator<Uint8Array> {
  for (const run of runs) {
    run.cursor = 0;
    run.pieceStart = 0;
    run.waiters = [];
  }
  const byClient = new Map<number, number>();
  runs.forEach((run, i) => byClient.set(run.client, i));
  const reached = (run: ClientRun) => (run.cursor < run.starts.length ? run.clocks[run.cursor]! : run.endClock);
  const structEnd = (run: ClientRun, i: number) => (i + 1 < run.starts.length ? run.starts[i + 1]! : run.endOffset);

  // The run (index) and clock the struct waits for, or -1 when Yjs can integrate it now. A dependency on a
  // client absent from the update, or past its last struct here, cannot be met by any order: Yjs keeps such a
  // struct pending as it would after a single apply, so it does not hold the slicing up. A dependency on the
  // struct's own client is met by the run's order.
  const r = new Reader(update);
  let blockedClock = 0;
  const unmet = (own: number, client: number, clock: number): number => {
    if (client === own) return -1;
    const j = byClient.get(client);
    if (j === undefined) return -1;
    const dep = runs[j]!;
    if (clock < reached(dep) || clock >= dep.endClock) return -1;
    blockedClock = clock;
    return j;
  };
  const blocker = (run: ClientRun, i: number): number => {
    r.pos = run.starts[i]!;
    const info = r.u8();
    if ((info & 0x1f) === 0) return -1;
    let j = -1;
    if (info & 0x80) j = unmet(run.client, r.varUint(), r.varUint());
    if (j < 0 && info & 0x40) j = unmet(run.client, r.varUint(), r.varUint());
    if (j < 0 && (info & 0xc0) === 0 && r.varUint() !== 1) j = unmet(run.client, r.varUint(), r.varUint());
    return j;
  };

  let filled = 0;
  const piece = (withDeleteSet: boolean): Uint8Array => {
    const e = encoding.createEncoder();
    const inPiece = runs.filter((run) => run.cursor > run.pieceStart);
    encoding.writeVarUint(e, inPiece.length);
    for (const run of inPiece) {
      encoding.writeVarUint(e, run.cursor - run.pieceStart);
      encoding.writeVarUint(e, run.client);
      encoding.writeVarUint(e, run.clocks[run.pieceStart]!);
      encoding.writeUint8Array(e, update.subarray(run.starts[run.pieceStart]!, structEnd(run, run.cursor - 1)));
      run.pieceStart = run.cursor;
    }
    if (withDeleteSet) encoding.writeUint8Array(e, deleteSet);
    else encoding.writeVarUint(e, 0);
    filled = 0;
    return encoding.toUint8Array(e);
  };

  const ready = runs.map((_, i) => i);
  while (ready.length) {
    const index = ready.pop()!;
    const run = runs[index]!;
    while (run.cursor < run.starts.length) {
      const j = blocker(run, run.cursor);
      if (j >= 0) {
        runs[j]!.waiters.push({ run: index, clock: blockedClock });
        break;
      }
      filled += structEnd(run, run.cursor) - run.starts[run.cursor]!;
      run.cursor++;
      if (filled >= pieceBytes) yield piece(false);
    }
    if (run.waiters.length) {
      const now = reached(run);
      const still = run.waiters.filter((w) => w.clock >= now);
      for (const w of run.waiters) if (w.clock < now) ready.push(w.run);
      run.waiters = still;
    }
  }
  // Runs still waiting wait on each other (bytes no client writes): the rest goes whole into the last piece,
  // where Yjs does with it what a single apply would.
  for (const run of runs) run.cursor = run.starts.length;
  yield piece(true);
}
