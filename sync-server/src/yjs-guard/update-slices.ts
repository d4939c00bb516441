// Cuts one large V1 update into pieces that Yjs integrates one after another, so that a caller can let the event
// loop turn between them. `Y.applyUpdate` of a 3.5 MB project snapshot holds the process for 0.8-2 s; in the
// sync server every other room waits that long (no relay, no saved acknowledgement, no new connection).
//
// Every piece is causally closed over the pieces before it: a struct goes into a piece only once what Yjs needs
// to integrate it is in that piece or an earlier one (its client's previous struct, its origin, its right
// origin, its parent item). So no piece leaves structs pending, and the document after the last piece is the
// one a single apply builds: a CRDT's state does not depend on the order of causally ordered updates. The
// delete set comes last, in pieces of its own, once every struct it may name is there.
//
// Structs are copied as bytes: in V1 each struct is encoded on its own (no run-length or delta coding across
// structs, unlike V2), so a run of them is valid after a new header (count, client, first clock). The first
// clock of each run is computed from the lengths of the structs before it, which is why readItemContent returns
// each content's clock length.
import * as encoding from 'lib0/encoding';
import { refusal, walkUpdateV1, type CheckResult, type StructLayout } from './update-check.ts';
import { Reader } from './v1-reader.ts';

type ClientRun = StructLayout['runs'][number];

export interface SlicePlan {
  /** Client id -> the clock just after its last struct in the update (its entry in the state vector after it). */
  endClocks: Map<number, number>;
  structs: number;
  /**
   * The pieces, each a V1 update of about `pieceBytes` of structs (a struct is never split) or of delete-set
   * ranges (after every struct), built as you go. Each call starts over.
   */
  pieces(pieceBytes: number): Generator<Uint8Array>;
}

/**
 * Checks the update (as checkUpdateV1 does) and plans its pieces in the same walk, pausing with `pause` now and
 * then: the walk of a 3.5 MB snapshot takes 70-140 ms. The plan is null when the update is refused, or cannot
 * be sliced because it is not a whole document's state (a client starting past clock 0, a Skip struct: gaps,
 * whose structs stay pending whatever the order; such an update is applied whole).
 */
export async function checkAndPlan(update: Uint8Array, pause: () => Promise<void> | undefined): Promise<{ check: CheckResult; plan: SlicePlan | null }> {
  if (update.length < 2) return { check: { ok: false, reason: 'too short for an update' }, plan: null };
  const planning = walkToPlan(update);
  try {
    while (planning.step()) await pause();
    return { check: { ok: true }, plan: planning.finish() };
  } catch (error) {
    return { check: refusal(error), plan: null };
  }
}

/** checkAndPlan without pauses: the plan, or null when the update is refused or cannot be sliced. */
export function planSlices(update: Uint8Array): SlicePlan | null {
  const planning = walkToPlan(update);
  try {
    while (planning.step());
    return planning.finish();
  } catch {
    return null;
  }
}

/** The walk, for the caller to drive: `step()` until it returns false, then `finish()`. Both throw on a fault. */
function walkToPlan(update: Uint8Array): { step: () => boolean; finish: () => SlicePlan | null } {
  const r = new Reader(update);
  const layout: StructLayout = { runs: [], deleteSetStart: 0, wholeState: true };
  const walk = walkUpdateV1(r, layout);
  return {
    step: () => !walk.next().done,
    finish: () => {
      r.end();
      return layout.wholeState ? planOf(update, layout) : null;
    },
  };
}

function planOf(update: Uint8Array, layout: StructLayout): SlicePlan {
  const endClocks = new Map<number, number>();
  let structs = 0;
  for (const run of layout.runs) {
    endClocks.set(run.client, run.endClock);
    structs += run.starts.length;
  }
  return { endClocks, structs, pieces: (pieceBytes) => cut(update, layout, pieceBytes) };
}

function* cut(update: Uint8Array, layout: StructLayout, pieceBytes: number): Generator<Uint8Array> {
  const { runs } = layout;
  // Per run: the next struct not yet given to a piece, the first struct of the piece being filled, and the
  // runs waiting for this one to pass a clock (blocked on one of its structs).
  const cursor = runs.map(() => 0);
  const pieceStart = runs.map(() => 0);
  const waiters = runs.map((): { run: number; clock: number }[] => []);
  const byClient = new Map<number, number>();
  runs.forEach((run, i) => byClient.set(run.client, i));
  const reached = (j: number) => (cursor[j]! < runs[j]!.starts.length ? runs[j]!.clocks[cursor[j]!]! : runs[j]!.endClock);
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
    if (clock < reached(j) || clock >= runs[j]!.endClock) return -1;
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
  const structPiece = (): Uint8Array => {
    const e = encoding.createEncoder();
    const inPiece = runs.map((_, j) => j).filter((j) => cursor[j]! > pieceStart[j]!);
    encoding.writeVarUint(e, inPiece.length);
    for (const j of inPiece) {
      const run = runs[j]!;
      encoding.writeVarUint(e, cursor[j]! - pieceStart[j]!);
      encoding.writeVarUint(e, run.client);
      encoding.writeVarUint(e, run.clocks[pieceStart[j]!]!);
      encoding.writeUint8Array(e, update.subarray(run.starts[pieceStart[j]!]!, structEnd(run, cursor[j]! - 1)));
      pieceStart[j] = cursor[j]!;
    }
    encoding.writeVarUint(e, 0); // no deletions
    filled = 0;
    return encoding.toUint8Array(e);
  };

  const ready = runs.map((_, j) => j);
  while (ready.length) {
    const j = ready.pop()!;
    const run = runs[j]!;
    while (cursor[j]! < run.starts.length) {
      const k = blocker(run, cursor[j]!);
      if (k >= 0) {
        waiters[k]!.push({ run: j, clock: blockedClock });
        break;
      }
      filled += structEnd(run, cursor[j]!) - run.starts[cursor[j]!]!;
      cursor[j]!++;
      if (filled >= pieceBytes) yield structPiece();
    }
    if (waiters[j]!.length) {
      const now = reached(j);
      for (const w of waiters[j]!) if (w.clock < now) ready.push(w.run);
      waiters[j] = waiters[j]!.filter((w) => w.clock >= now);
    }
  }
  // Runs still waiting wait on each other (bytes no client writes): the rest goes whole into the last struct
  // piece, where Yjs does with it what a single apply would.
  runs.forEach((run, j) => (cursor[j] = run.starts.length));
  if (runs.some((_, j) => cursor[j]! > pieceStart[j]!)) yield structPiece();
  yield* deletePieces(update.subarray(layout.deleteSetStart), pieceBytes);
}

/** The delete set, in updates of no structs and about `pieceBytes` of ranges each (none when it is empty). */
function* deletePieces(deleteSet: Uint8Array, pieceBytes: number): Generator<Uint8Array> {
  const r = new Reader(deleteSet);
  const clients = r.varUint();
  let ranges = new Map<number, number[]>();
  let start = r.pos;
  const piece = (): Uint8Array => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0); // no structs
    encoding.writeVarUint(e, ranges.size);
    for (const [client, flat] of ranges) {
      encoding.writeVarUint(e, client);
      encoding.writeVarUint(e, flat.length / 2);
      for (const n of flat) encoding.writeVarUint(e, n);
    }
    ranges = new Map();
    start = r.pos;
    return encoding.toUint8Array(e);
  };
  for (let c = 0; c < clients; c++) {
    const client = r.varUint();
    const count = r.varUint();
    for (let i = 0; i < count; i++) {
      let flat = ranges.get(client);
      if (!flat) ranges.set(client, (flat = []));
      flat.push(r.varUint(), r.varUint()); // clock, length
      if (r.pos - start >= pieceBytes) yield piece();
    }
  }
  if (ranges.size) yield piece();
}
