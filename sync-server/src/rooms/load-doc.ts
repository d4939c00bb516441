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
  const doc = new Y.Doc({ guid: projectId });
  const quarantined: string[] = [];
  if (stored.snapshot) {
    const check = stored.snapshot.check ?? checkUpdateV1(stored.snapshot.state);
    if (!check.ok) {
      metrics?.quarantinedUpdates.inc();
      throw new LoadError(`snapshot of project ${projectId} failed the structural check (${check.reason}); refusing to load`);
    }
    Y.applyUpdate(doc, stored.snapshot.state);
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

type Stored = StoredDoc & { snapshot: (StoredDoc['snapshot'] & { check?: CheckResult }) | null };

async function readStored(projectId: string, store: DocStore, head: StoredHead | undefined, readState: ReadSnapshotState): Promise<Stored> {
  if (!head) return store.load(projectId);
  if (!head.snapshot) return { snapshot: null, updates: head.updates };
  const read = await readState(head.snapshot.lastUpdateId);
  // A compaction elsewhere replaced the snapshot after the head was read: read both again, together.
  if (!read) return store.load(projectId);
  return { snapshot: { state: read.state, check: read.check, lastUpdateId: head.snapshot.lastUpdateId }, updates: head.updates };
}
