// Load = newest snapshot + every log row after it. Every stored byte string passes the structural check
// first: a poison row (yjs #687-style bytes written by an older or compromised server) is quarantined
// (skipped, logged with its id and bytes, counted) instead of hanging or failing every later load.
// A snapshot that fails the check refuses the load: starting from an empty document would later compact
// over the stored state and lose it.
import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { DocStore, StoredDoc, StoredHead } from '../persistence/doc-store.ts';
import { checkUpdateV1 } from '../yjs-guard/update-check.ts';

export class LoadError extends Error {}

export interface LoadedDoc {
  doc: Y.Doc;
  /** Log rows after the snapshot (including quarantined ones, which the next compaction drops). */
  rows: number;
  lastUpdateId: string | null;
  quarantined: string[];
}

const EVIDENCE_BYTES = 4096;

/** `head`: the store's head when the caller already read it; then only the snapshot's state is read here. */
export async function loadDoc(projectId: string, store: DocStore, logger: Logger, metrics?: Metrics, head?: StoredHead): Promise<LoadedDoc> {
  const stored = await readStored(projectId, store, head);
  // The project id as guid: Yjs would otherwise draw a random UUID one random number per hex digit (31
  // getRandomValues calls, 0.2 ms per load).
  const doc = new Y.Doc({ guid: projectId });
  const quarantined: string[] = [];
  if (stored.snapshot) {
    const check = checkUpdateV1(stored.snapshot.state);
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

async function readStored(projectId: string, store: DocStore, head: StoredHead | undefined): Promise<StoredDoc> {
  if (!head) return store.load(projectId);
  if (!head.snapshot) return { snapshot: null, updates: head.updates };
  const state = await store.loadSnapshotState(projectId, head.snapshot.lastUpdateId);
  // A compaction elsewhere replaced the snapshot after the head was read: read both again, together.
  if (!state) return store.load(projectId);
  return { snapshot: { state, lastUpdateId: head.snapshot.lastUpdateId }, updates: head.updates };
}
