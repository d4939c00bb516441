// Yjs update storage: every update of a project's document (local or remote) is appended as it happens,
// and the log is folded into one snapshot once it grows past a threshold. Loading = applying every row.
import * as Y from 'yjs';
import type { FieldboardDb } from './database.ts';

/** Rows per project above which the log is compacted into a snapshot. */
export const COMPACT_THRESHOLD = 200;

/**
 * IndexedDB hands back typed arrays that may come from another realm (fake-indexeddb under jsdom) or as
 * plain ArrayBuffers; `instanceof Uint8Array` is not reliable there (STACK trap 11).
 */
export function toBytes(value: unknown): Uint8Array | null {
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer || Object.prototype.toString.call(value) === '[object ArrayBuffer]') {
    return new Uint8Array(value as ArrayBuffer);
  }
  return null;
}

export async function appendUpdate(db: FieldboardDb, projectId: string, update: Uint8Array): Promise<number> {
  // Copy: the caller's buffer may be a view into a larger one that Yjs reuses.
  return db.docUpdates.add({ projectId, update: update.slice(), snapshot: 0, createdAt: Date.now() }) as Promise<number>;
}

export async function loadUpdates(db: FieldboardDb, projectId: string): Promise<Uint8Array[]> {
  const rows = await db.docUpdates.where('projectId').equals(projectId).sortBy('seq');
  const out: Uint8Array[] = [];
  for (const row of rows) {
    const bytes = toBytes(row.update);
    if (bytes) out.push(bytes);
  }
  return out;
}

export async function countUpdates(db: FieldboardDb, projectId: string): Promise<number> {
  return db.docUpdates.where('projectId').equals(projectId).count();
}

/**
 * Applies stored updates to `doc` in one transaction with `origin`, so observers see one change.
 * A row that does not decode is skipped (and reported) instead of making the whole project unreadable.
 */
export function applyStored(doc: Y.Doc, updates: Uint8Array[], origin: unknown): { applied: number; failed: number } {
  let applied = 0;
  let failed = 0;
  doc.transact(() => {
    for (const update of updates) {
      try {
        Y.applyUpdate(doc, update, origin);
        applied++;
      } catch (error) {
        failed++;
        console.warn('fieldboard: skipped a stored update that does not decode', error);
      }
    }
  }, origin);
  return { applied, failed };
}

/**
 * Folds every stored row of the project into one snapshot, atomically: rows appended by another tab during
 * compaction either are read and folded, or wait for the transaction and stay after the snapshot.
 * Merging applies the rows into a scratch Y.Doc (much faster than Y.mergeUpdates over many small updates).
 */
export async function compactUpdates(db: FieldboardDb, projectId: string, threshold = COMPACT_THRESHOLD): Promise<boolean> {
  return db.transaction('rw', db.docUpdates, db.boardPreviews, async () => {
    const rows = await db.docUpdates.where('projectId').equals(projectId).sortBy('seq');
    if (rows.length <= threshold) return false;
    const scratch = new Y.Doc({ gc: true });
    for (const row of rows) {
      const bytes = toBytes(row.update);
      if (!bytes) continue;
      try {
        Y.applyUpdate(scratch, bytes);
      } catch {
        // An undecodable row holds nothing we could keep; dropping it here matches what loading does.
      }
    }
    const snapshot = Y.encodeStateAsUpdate(scratch);
    scratch.destroy();
    await db.docUpdates.bulkDelete(rows.map((r) => r.seq!));
    const seq = await db.docUpdates.add({ projectId, update: snapshot, snapshot: 1, createdAt: Date.now() });
    // A board preview that matched the last folded row shows exactly the snapshot: keep it usable.
    const preview = await db.boardPreviews.get(projectId);
    if (preview && preview.seq === rows[rows.length - 1]!.seq) await db.boardPreviews.update(projectId, { seq });
    return true;
  });
}

export async function deleteProjectUpdates(db: FieldboardDb, projectId: string): Promise<void> {
  await db.docUpdates.where('projectId').equals(projectId).delete();
}
