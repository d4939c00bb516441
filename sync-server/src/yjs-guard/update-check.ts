// Structural pre-checks for every untrusted Yjs byte string before any Yjs/lib0 decoder touches it.
//
// Why: yjs issue #687 (https://github.com/yjs/yjs/issues/687, open against 13.6.33) shows that crafted bytes
// exploit run-length and length-prefixed encodings so the decoder loops for ever or allocates without bound
// (`new Array(numberOfStructs)` with a huge count, mergeUpdatesV2 / encodeStateVectorFromUpdateV2 looping).
// We only speak V1 on the wire and in storage, so anything that is not a structurally valid V1 update is
// refused here, in one linear pass whose every loop consumes at least one input byte. After this check the
// V1 decoder cannot loop longer than the input, cannot be asked to allocate arrays larger than the input,
// and cannot hit a decoding error half-way (truncation, bad UTF-8, bad JSON, unknown type refs), which would
// leave a partially applied transaction because yjs integrates the structs before it reads the delete set.
// Yjs may still refuse a structurally sound but semantically odd update (a seeded fuzz test measures that it
// does so quickly); callers catch that and close the connection.
//
// Also refused: ContentDoc (subdocuments; our document model never writes them and the server would
// otherwise instantiate nested Y.Docs from client bytes) and nesting deeper than MAX_ANY_DEPTH.

import { Malformed, Reader, readItemContent } from './v1-reader.ts';

export type CheckResult = { ok: true } | { ok: false; reason: string };

/** Where each client's structs lie in an update, recorded by a walk asked to (update-slices.ts cuts by it). */
export interface StructLayout {
  runs: { client: number; starts: number[]; clocks: number[]; endOffset: number; endClock: number }[];
  /** Byte offset of the delete set. */
  deleteSetStart: number;
  /** False unless the update reads as a whole document's state: every client once, from clock 0, no Skip. */
  wholeState: boolean;
}

/** Structs walked between two chances for the caller to pause (see walkUpdateV1). */
const WALK_STEP = 4096;

/**
 * Reads a V1 update from end to end, every struct and the delete set, throwing Malformed at the first fault.
 * Yields every WALK_STEP structs, so that a caller may spread the walk of a large update over event-loop
 * turns. `layout`, when given, receives each struct's offset and clock (its clock length is what
 * readItemContent returns).
 */
export function* walkUpdateV1(r: Reader, layout?: StructLayout): Generator<void, void> {
  const clients = r.count(3);
  const seen = layout && new Set<number>();
  let walked = 0;
  for (let c = 0; c < clients; c++) {
    const structs = r.count(2);
    const client = r.varUint();
    let clock = r.varUint();
    const run = layout && { client, starts: [] as number[], clocks: [] as number[], endOffset: 0, endClock: 0 };
    if (layout && (clock !== 0 || seen!.has(client))) layout.wholeState = false;
    seen?.add(client);
    for (let s = 0; s < structs; s++) {
      if (++walked % WALK_STEP === 0) yield;
      if (run) {
        run.starts.push(r.pos);
        run.clocks.push(clock);
      }
      const info = r.u8();
      const ref = info & 0x1f;
      if (ref === 0 || ref === 10) {
        clock += r.varUint(); // GC / Skip length
        if (ref === 10 && layout) layout.wholeState = false;
        continue;
      }
      if (info & 0x80) { r.varUint(); r.varUint(); } // origin
      if (info & 0x40) { r.varUint(); r.varUint(); } // right origin
      if ((info & 0xc0) === 0) {
        const parentInfo = r.varUint();
        if (parentInfo === 1) r.skipString(); // root type name
        else { r.varUint(); r.varUint(); } // parent item id
        if (info & 0x20) r.skipString(); // parentSub (map key)
      }
      clock += readItemContent(r, ref);
    }
    if (run) {
      run.endOffset = r.pos;
      run.endClock = clock;
      layout.runs.push(run);
    }
  }
  if (layout) layout.deleteSetStart = r.pos;
  const dsClients = r.count(2);
  for (let c = 0; c < dsClients; c++) {
    r.varUint(); // client
    const ranges = r.count(2);
    for (let i = 0; i < ranges; i++) {
      r.varUint(); // clock
      r.varUint(); // length
    }
  }
}

function readUpdateV1(r: Reader): void {
  const walk = walkUpdateV1(r);
  while (!walk.next().done);
}

function run(bytes: Uint8Array, fn: (r: Reader) => void): CheckResult {
  const r = new Reader(bytes);
  try {
    fn(r);
    r.end();
    return { ok: true };
  } catch (error) {
    return refusal(error);
  }
}

/** A reading's fault as a check result. */
export function refusal(error: unknown): CheckResult & { ok: false } {
  if (error instanceof Malformed) return { ok: false, reason: error.message };
  // RangeError (stack) or anything unexpected: refuse rather than pass it on.
  return { ok: false, reason: (error as Error).message || 'unreadable' };
}

/** Is `bytes` a complete, well-formed Yjs V1 update that the V1 decoder reads in linear time? */
export function checkUpdateV1(bytes: Uint8Array): CheckResult {
  if (bytes.length < 2) return { ok: false, reason: 'too short for an update' };
  return run(bytes, readUpdateV1);
}

/** Is `bytes` a well-formed encoded state vector (sync step 1 payload)? */
export function checkStateVector(bytes: Uint8Array): CheckResult {
  return run(bytes, (r) => {
    const n = r.count(2);
    for (let i = 0; i < n; i++) {
      r.varUint();
      r.varUint();
    }
  });
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** null = the state is being removed. */
  state: unknown;
}

/** Parses a y-protocols awareness update; returns null when it is malformed. */
export function parseAwarenessUpdate(bytes: Uint8Array): AwarenessEntry[] | null {
  const entries: AwarenessEntry[] = [];
  const result = run(bytes, (r) => {
    const n = r.count(3);
    for (let i = 0; i < n; i++) {
      const clientId = r.varUint();
      const clock = r.varUint();
      const text = r.string();
      let state: unknown;
      try {
        state = JSON.parse(text);
      } catch {
        throw new Malformed('invalid awareness JSON');
      }
      entries.push({ clientId, clock, state });
    }
  });
  return result.ok ? entries : null;
}
