// Load = newest snapshot + every log row after it. Every stored byte string passes the structural check
// first: a poison row (yjs #687-style bytes written by an older or compromised server) is quarantined
// (skipped, logged with its id and bytes, counted) instead of hanging or failing every later load.
// A snapshot that fails the check refuses the load: starting from an empty document would later compact
// over the stored state and lose it. A large snapshot is checked, integrated and followed by its log rows in
// steps, the event loop turning between them (applyInSteps).
import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { DocStore, StoredDoc, StoredHead, StoredUpdate } from '../persistence/doc-store.ts';
import { checkUpdateV1, type CheckResult } from '../yjs-guard/update-check.ts';
import { checkAndPlan, type SlicePlan } from '../yjs-guard/update-slices.ts';
import { nextTurn, pauser } from './turns.ts';

export class LoadError extends Error {}

/**
 * A snapshot's state as read from the store, with its structural check (made once: 70-140 ms for 3.5 MB) and,
 * for a large one, the plan of its pieces (made in the same walk).
 */
export interface CheckedState {
  state: Uint8Array;
  check: CheckResult;
  plan?: SlicePlan | null;
}

/** Reads the state of the snapshot covering `lastUpdateId` (null when a compaction replaced it meanwhile). */
export type ReadSnapshotState = (lastUpdateId: string) => Promise<CheckedState | null>;

/**
 * A snapshot this large (the bench's 2,000-task project with 100,000 edits: 3.5 MB) is checked, integrated and
 * followed by its log rows in steps of about STEP_BYTES, the event loop turning between them: applied whole,
 * it held the process, and every other room with it, for 0.8-2 s. See applyInSteps.
 */
const STEPPED_FROM_BYTES = 256 * 1024;
const STEP_BYTES = 16 * 1024;
/** Deleted ranges collected (Y.tryGc) per step: about 8 ms. */
const GC_STEP_RANGES = 4096;
/** The check's walk pauses when it has run this long. */
const WALK_SLICE_MS = 10;

/** The store's read, checked: what a load does when nobody shares the read with it. */
export function readSnapshotStateFrom(store: DocStore, projectId: string): ReadSnapshotState {
  return async (lastUpdateId) => {
    const state = await store.loadSnapshotState(projectId, lastUpdateId);
    if (!state) return null;
    if (state.length < STEPPED_FROM_BYTES) return { state, check: checkUpdateV1(state) };
    return { state, ...(await checkAndPlan(state, pauser(WALK_SLICE_MS))) };
  };
}

export interface LoadedDoc {
  doc: Y.Doc;
  /** Log rows after the snapshot (including quarantined ones, which the next compaction drops). */
  rows: number;
  lastUpdateId: string | null;
  quarantined: string[];
  /** Built in steps (a large snapshot), the event loop turning between them. */
  stepped: boolean;
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
  const snapshot = stored.snapshot;
  if (snapshot) {
    const check = snapshot.check ?? checkUpdateV1(snapshot.state);
    if (!check.ok) {
      metrics?.quarantinedUpdates.inc();
      throw new LoadError(`snapshot of project ${projectId} failed the structural check (${check.reason}); refusing to load`);
    }
  }
  const quarantined: string[] = [];
  const applyRow = (doc: Y.Doc, row: StoredUpdate) => {
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
  };
  let stepped: Y.Doc | null = null;
  if (snapshot?.plan && snapshot.stateVector) {
    stepped = await applyInSteps(projectId, snapshot.plan, snapshot.stateVector, stored.updates, applyRow, logger);
    metrics?.steppedLoads.inc({ outcome: stepped ? 'steps' : 'whole' });
  }
  // The project id as guid: Yjs would otherwise draw a random UUID one random number per hex digit (31
  // getRandomValues calls, 0.2 ms per load).
  const doc = stepped ?? new Y.Doc({ guid: projectId });
  if (!stepped) {
    if (snapshot) Y.applyUpdate(doc, snapshot.state);
    doc.transact(() => {
      for (const row of stored.updates) applyRow(doc, row);
    });
  }
  const last = stored.updates[stored.updates.length - 1]?.id ?? snapshot?.lastUpdateId ?? null;
  return { doc, rows: stored.updates.length, lastUpdateId: last, quarantined, stepped: stepped !== null };
}

/**
 * Builds the document from the snapshot's pieces (yjs-guard/update-slices.ts cuts them in causal order) and
 * then the log rows, in steps of about STEP_BYTES with the event loop turning between them: every step under
 * 50 ms instead of one 0.8-2 s stretch for the bench project. Null, with nothing applied that counts, when Yjs
 * refused a piece or the pieces do not reach the state vector stored with the snapshot: the caller then
 * applies the snapshot whole, as before steps existed.
 *
 * Every step joins one Yjs transaction. Yjs merges adjacent structs when a transaction closes, and a later
 * piece whose item points inside a merged struct splits it again with a splice of the client's whole struct
 * array: a transaction per piece took 7 s instead of 1 s for the bench project. So the open transaction sits
 * in the document's own slot for the running one (`doc._transaction`, which a nested transact joins instead
 * of opening its own) while a step applies, and the slot is empty between turns (nothing else can reach this
 * document before the load returns it). The deleted content is collected in steps too, and a last, regular
 * transaction takes over what the open one gathered and closes: observers and merging run once, as for a single
 * apply (the bench project loads byte for byte as a single apply builds it).
 */
async function applyInSteps(
  projectId: string,
  plan: SlicePlan,
  expectedVector: Uint8Array,
  rows: StoredUpdate[],
  applyRow: (doc: Y.Doc, row: StoredUpdate) => void,
  logger: Logger,
): Promise<Y.Doc | null> {
  const doc = new Y.Doc({ guid: projectId });
  const open = new Y.Transaction(doc, null, false);
  const step = (apply: () => void) => {
    doc._transaction = open;
    try {
      apply();
    } finally {
      doc._transaction = null;
    }
  };
  try {
    for (const piece of plan.pieces(STEP_BYTES)) {
      step(() => Y.applyUpdate(doc, piece));
      await nextTurn();
    }
  } catch (error) {
    logger.error({ projectId, err: (error as Error).message }, 'integrating the snapshot in pieces failed; applying it whole');
    return null;
  }
  if (!sameVector(Y.encodeStateVector(doc), expectedVector)) {
    logger.error({ projectId }, 'the snapshot integrated in pieces does not reach its stored state vector; applying it whole');
    return null;
  }
  for (let i = 0; i < rows.length; ) {
    let bytes = 0;
    step(() => {
      for (; i < rows.length && bytes < STEP_BYTES; i++) {
        applyRow(doc, rows[i]!);
        bytes += rows[i]!.update.length;
      }
    });
    await nextTurn();
  }
  // What the close would collect and merge in one stretch (about half of the bench project's 110-170 ms close),
  // in steps: Yjs' own tryGc over the deleted ranges, sorted and merged as the close sorts them, each client's
  // from the highest clock down as the close goes. The close then gets an empty delete set.
  const collected = doc.gc;
  if (collected) {
    const deleted = Y.mergeDeleteSets([open.deleteSet]);
    for (const [client, ranges] of deleted.clients) {
      for (let end = ranges.length; end > 0; end -= GC_STEP_RANGES) {
        const part = Y.createDeleteSet();
        part.clients.set(client, ranges.slice(Math.max(0, end - GC_STEP_RANGES), end));
        Y.tryGc(part, doc.store, doc.gcFilter);
        await nextTurn();
      }
    }
  }
  Y.transact(
    doc,
    (closing) => {
      closing.beforeState = open.beforeState;
      if (!collected) closing.deleteSet = open.deleteSet;
      closing._mergeStructs = open._mergeStructs;
      closing.changed = open.changed;
      closing.changedParentTypes = open.changedParentTypes;
      closing._needFormattingCleanup ||= open._needFormattingCleanup;
    },
    null,
    false,
  );
  return doc;
}

function sameVector(a: Uint8Array, b: Uint8Array): boolean {
  const x = Y.decodeStateVector(a);
  const y = Y.decodeStateVector(b);
  return x.size === y.size && [...x].every(([client, clock]) => y.get(client) === clock);
}

type Stored = StoredDoc & { snapshot: (StoredDoc['snapshot'] & { check?: CheckResult; plan?: SlicePlan | null; stateVector?: Uint8Array }) | null };

async function readStored(projectId: string, store: DocStore, head: StoredHead | undefined, readState: ReadSnapshotState): Promise<Stored> {
  if (!head) return store.load(projectId);
  if (!head.snapshot) return { snapshot: null, updates: head.updates };
  const read = await readState(head.snapshot.lastUpdateId);
  // A compaction elsewhere replaced the snapshot after the head was read: read both again, together.
  if (!read) return store.load(projectId);
  return {
    snapshot: { ...read, stateVector: head.snapshot.stateVector, lastUpdateId: head.snapshot.lastUpdateId },
    updates: head.updates,
  };
}
