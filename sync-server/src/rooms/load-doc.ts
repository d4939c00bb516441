// Load = newest snapshot + every log row after it. Every stored byte string passes the structural check
// first: a poison row (yjs #687-style bytes written by an older or compromised server) is quarantined
// (skipped, logged with its id and bytes, counted) instead of hanging or failing every later load.
// A snapshot that fails the check refuses the load: starting from an empty document would later compact
// over the stored state and lose it.
import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { DocStore, StoredDoc, StoredHead } from '../persistence/doc-store.ts';
import { checkUpdateV1, type CheckResult } from '../yjs-guard/update-check.ts';
import { planSlices, type SlicePlan } from '../yjs-guard/update-slices.ts';

export class LoadError extends Error {}

/** A snapshot's state as read from the store, with its structural check (made once: 50-140 ms for 3.5 MB). */
export interface CheckedState {
  state: Uint8Array;
  check: CheckResult;
}

/** Reads the state of the snapshot covering `lastUpdateId` (null when a compaction replaced it meanwhile). */
export type ReadSnapshotState = (lastUpdateId: string) => Promise<CheckedState | null>;

/** The store's read, checked: what a load does when nobody shares the read with it. */
export function readSnapshotStateFrom(store: DocStore, projectId: string): ReadSnapshotState {
  return async (lastUpdateId) => {
    const state = await store.loadSnapshotState(projectId, lastUpdateId);
    return state ? { state, check: checkUpdateV1(state) } : null;
  };
}

export interface LoadedDoc {
  doc: Y.Doc;
  /** Log rows after the snapshot (including quarantined ones, which the next compaction drops). */
  rows: number;
  lastUpdateId: string | null;
  quarantined: string[];
}

const EVIDENCE_BYTES = 4096;

/**
 * `head`: the store's head when the caller already read it; then only the snapshot's state is read here, with
 * `readState` when given (the registry shares that read with a new device answered from it while it loads).
 */
export async function loadDoc(
  projectId: string,
  store: DocStore,
  logger: Logger,
  metrics?: Metrics,
  head?: StoredHead,
  readState: ReadSnapshotState = readSnapshotStateFrom(store, projectId),
): Promise<LoadedDoc> {
  const stored = await readStored(projectId, store, head, readState);
  // The project id as guid: Yjs would otherwise draw a random UUID one random number per hex digit (31
  // getRandomValues calls, 0.2 ms per load).
  let doc = new Y.Doc({ guid: projectId });
  const quarantined: string[] = [];
  if (stored.snapshot) {
    const { state, stateVector } = stored.snapshot;
    const check = stored.snapshot.check ?? checkUpdateV1(state);
    if (!check.ok) {
      metrics?.quarantinedUpdates.inc();
      throw new LoadError(`snapshot of project ${projectId} failed the structural check (${check.reason}); refusing to load`);
    }
    const plan = stateVector && state.length >= SLICED_FROM_BYTES ? planSlices(state) : null;
    if (!plan || !(await applyInSlices(doc, plan, stateVector!, projectId, logger))) {
      doc = new Y.Doc({ guid: projectId });
      Y.applyUpdate(doc, state);
    }
  }
  doc.transact(() => {
    for (const row of stored.updates) {
      const check = checkUpdateV1(row.update);
      let reason = check.ok ? null : check.reason;
      if (check.ok) {
        try {
          Y.applyUpdate(doc, row.update);
        } catch (error) {
          reason = `apply failed: ${(error as Error).message}`;
        }
      }
      if (reason) {
        quarantined.push(row.id);
        metrics?.quarantinedUpdates.inc();
        logger.error(
          { projectId, rowId: row.id, reason, bytes: row.update.length, evidence: Buffer.from(row.update.subarray(0, EVIDENCE_BYTES)).toString('base64') },
          'quarantined a stored update that failed the structural check',
        );
      }
    }
  });
  const last = stored.updates[stored.updates.length - 1]?.id ?? stored.snapshot?.lastUpdateId ?? null;
  return { doc, rows: stored.updates.length, lastUpdateId: last, quarantined };
}

/**
 * A snapshot this large (the bench's 2,000-task project with 100,000 edits: 3.5 MB) is integrated in pieces of
 * about PIECE_BYTES, the event loop turning between them: applied whole it held the process, and every other
 * room with it, for 0.8-2 s; in pieces, 16-50 ms per turn and one 130-190 ms close (measured on the 2-core VM).
 */
const SLICED_FROM_BYTES = 256 * 1024;
const PIECE_BYTES = 16 * 1024;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Integrates the snapshot piece by piece (yjs-guard/update-slices.ts cuts them in causal order). False, with the
 * document to be thrown away, when Yjs refused a piece or the result's state vector is not the one stored with
 * the snapshot: the caller then applies the snapshot whole, as before slicing existed.
 *
 * All pieces share one Yjs transaction. Yjs merges adjacent structs when a transaction closes, and a later
 * piece whose item points inside a merged struct splits it again with a splice of the client's whole struct
 * array: closing a transaction per piece took 7 s instead of 1 s for the bench project. So the open
 * transaction sits in the document's own slot for the running one (`doc._transaction`, where a nested
 * transact joins instead of opening another) while each piece applies, and is empty between turns (nothing
 * else can reach this document before the load returns it). The last piece applies in a regular transaction
 * that takes over what the open one collected, so observers, garbage collection and merging run once, as for
 * a single apply.
 */
async function applyInSlices(doc: Y.Doc, plan: SlicePlan, expectedVector: Uint8Array, projectId: string, logger: Logger): Promise<boolean> {
  const open = new Y.Transaction(doc, null, false);
  try {
    let previous: Uint8Array | null = null;
    for (const piece of plan.pieces(PIECE_BYTES)) {
      if (previous) {
        doc._transaction = open;
        try {
          Y.applyUpdate(doc, previous);
        } finally {
          doc._transaction = null;
        }
        await nextTurn();
      }
      previous = piece;
    }
    Y.transact(
      doc,
      (closing) => {
        closing.beforeState = open.beforeState;
        closing.deleteSet = open.deleteSet;
        closing._mergeStructs = open._mergeStructs;
        closing.changed = open.changed;
        closing.changedParentTypes = open.changedParentTypes;
        closing._needFormattingCleanup ||= open._needFormattingCleanup;
        if (previous) Y.applyUpdate(doc, previous);
      },
      null,
      false,
    );
  } catch (error) {
    logger.error({ projectId, err: (error as Error).message }, 'integrating the snapshot in pieces failed; applying it whole');
    return false;
  }
  if (sameVector(Y.encodeStateVector(doc), expectedVector)) return true;
  logger.error({ projectId }, 'the snapshot integrated in pieces does not reach its stored state vector; applying it whole');
  return false;
}

function sameVector(a: Uint8Array, b: Uint8Array): boolean {
  const x = Y.decodeStateVector(a);
  const y = Y.decodeStateVector(b);
  return x.size === y.size && [...x].every(([client, clock]) => y.get(client) === clock);
}

type Stored = StoredDoc & { snapshot: (StoredDoc['snapshot'] & { check?: CheckResult; stateVector?: Uint8Array }) | null };

async function readStored(projectId: string, store: DocStore, head: StoredHead | undefined, readState: ReadSnapshotState): Promise<Stored> {
  if (!head) return store.load(projectId);
  if (!head.snapshot) return { snapshot: null, updates: head.updates };
  const read = await readState(head.snapshot.lastUpdateId);
  // A compaction elsewhere replaced the snapshot after the head was read: read both again, together.
  if (!read) return store.load(projectId);
  return {
    snapshot: { state: read.state, check: read.check, stateVector: head.snapshot.stateVector, lastUpdateId: head.snapshot.lastUpdateId },
    updates: head.updates,
  };
}
