// A compaction's snapshot (snapshotOf's three byte strings), encoded with the event loop turning between
// steps. `snapshotOf` is two whole-document encodes in one stretch: 150-250 ms for the 3.5 MB bench project,
// every SYNC_COMPACT_THRESHOLD rows of a busy large project, during which every other room waits.
//
// The room stays live while this runs, so the document may change between steps: new structs (past the clocks
// captured at the start: not written), deletions and garbage collection of old ones, splits and merges of the
// struct array. So each client's structs are walked by clock, not by index (findIndexSS at every step, a
// struct resumed at an offset as Yjs itself writes the first struct of a diff), and each struct goes in as it is
// when it is written, its deletion with it. A struct that grew past the start's clock by a merge (typing that
// continued it) is written whole, and the snapshot's state vector is the clocks actually written: such an
// extension has the dependencies of the struct it continues, which are in the snapshot. What changed after a
// struct was written reaches the next load through the log rows after the snapshot, as any later edit does;
// rows that repeat what the snapshot already holds are no-ops for Yjs.
//
// On a document that does not change meanwhile, the bytes are the same as snapshotOf's (a test holds them to it).
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { snapshotOf } from './stored-head.ts';

/** Structs written between two looks at the clock. */
const STRUCTS_PER_LOOK = 1024;

type Pause = () => Promise<void> | undefined;

interface ClientStructs {
  client: number;
  count: number;
  bytes: Uint8Array;
  /** The clock just after the last struct written. */
  end: number;
  /** Deleted ranges, flattened (clock, length, ...), adjacent ones merged as Yjs merges them. */
  deleted: number[];
}

export async function snapshotInSteps(doc: Y.Doc, pause: Pause): Promise<ReturnType<typeof snapshotOf>> {
  // Pending structs or deletions (waiting for what they depend on) go into snapshotOf's state merged with the
  // rest; rare enough to take the one-stretch path.
  if (doc.store.pendingStructs || doc.store.pendingDs) return snapshotOf(doc);
  const start = Y.decodeStateVector(Y.encodeStateVector(doc));
  const written: ClientStructs[] = [];
  for (const client of [...start.keys()].sort((a, b) => b - a)) {
    written.push(await writeClient(doc, client, start.get(client)!, pause));
  }

  const state = encoding.createEncoder();
  encoding.writeVarUint(state, written.length);
  for (const w of written) {
    encoding.writeVarUint(state, w.count);
    encoding.writeVarUint(state, w.client);
    encoding.writeVarUint(state, 0);
    encoding.writeUint8Array(state, w.bytes);
  }
  const deletes = encoding.createEncoder();
  const withDeletes = written.filter((w) => w.deleted.length > 0);
  encoding.writeVarUint(deletes, withDeletes.length);
  for (const w of withDeletes) {
    encoding.writeVarUint(deletes, w.client);
    encoding.writeVarUint(deletes, w.deleted.length / 2);
    for (const n of w.deleted) encoding.writeVarUint(deletes, n);
  }
  const deleteSet = encoding.toUint8Array(deletes);
  encoding.writeUint8Array(state, deleteSet);
  const noStructs = encoding.createEncoder();
  encoding.writeVarUint(noStructs, 0);
  encoding.writeUint8Array(noStructs, deleteSet);
  return {
    state: encoding.toUint8Array(state),
    stateVector: Y.encodeStateVector(new Map(written.map((w) => [w.client, w.end]))),
    deleteSet: encoding.toUint8Array(noStructs),
  };
}

async function writeClient(doc: Y.Doc, client: number, until: number, pause: Pause): Promise<ClientStructs> {
  const encoder = new Y.UpdateEncoderV1();
  const deleted: number[] = [];
  let clock = 0;
  let count = 0;
  while (clock < until) {
    const structs = doc.store.clients.get(client)!;
    for (let i = Y.findIndexSS(structs, clock), n = 0; i < structs.length && clock < until && n < STRUCTS_PER_LOOK; i++, n++) {
      const struct = structs[i]!;
      const offset = clock - struct.id.clock;
      struct.write(encoder, offset);
      if (struct.deleted) {
        const last = deleted.length - 2;
        if (last >= 0 && deleted[last]! + deleted[last + 1]! === clock) deleted[last + 1]! += struct.length - offset;
        else deleted.push(clock, struct.length - offset);
      }
      clock = struct.id.clock + struct.length;
      count++;
    }
    await pause();
  }
  return { client, count, bytes: encoder.toUint8Array(), end: clock, deleted };
}
