// Which local changes the server has not yet made durable. The server's saved message carries its
// persisted state vector: a change by client c that ends at clock k is durable once vector[c] >= k.
// Changes are kept in IndexedDB (pendingChanges), so changes from earlier sessions and other tabs (other
// Yjs client ids) keep counting until a saved vector covers them, whichever tab receives it.
import * as Y from 'yjs';
import type { FieldboardDb, PendingChange } from '../db/database.ts';

/** What one local transaction changed, in saved-vector terms. */
export interface LocalChange {
  clientId: number;
  clock: number;
  deleteOnly: boolean;
}

/** What one local transaction changed; null when it changed nothing. */
export function describeLocalChange(doc: Y.Doc, tr: Y.Transaction): LocalChange | null {
  const clientId = doc.clientID;
  const before = tr.beforeState.get(clientId) ?? 0;
  const after = tr.afterState.get(clientId) ?? 0;
  if (after > before) return { clientId, clock: after, deleteOnly: false };
  if (tr.deleteSet.clients.size > 0) return { clientId, clock: after, deleteOnly: true };
  return null;
}

export interface SavedContext {
  /** This tab's id. */
  tabId: string;
  /** When the connection that delivered the saved message opened (epoch ms). */
  connectionOpenedAt: number;
  /**
   * False for the saved message the server sends while answering our sync step 1: it precedes the
   * server's handling of our step 2 (which carries offline deletions), so it cannot vouch for them.
   */
  afterHandshake: boolean;
}

/**
 * Is `change` durable given a saved vector received on a connection described by `ctx`?
 * Inserts are decided by the vector alone. Delete-only changes advance no clock, so the vector cannot
 * show them; they count as saved once a saved message arrives on a connection that carried them: one
 * opened after the change (the sync handshake sends the whole delete set) or this tab's own live
 * connection (which sent them as they happened). Known limit: a saved message for an earlier commit that
 * crosses a just-sent deletion on the wire resolves it one commit early.
 */
export function isDurable(change: PendingChange, vector: Map<number, number>, ctx: SavedContext): boolean {
  if (change.deleteOnly === 0) return (vector.get(change.clientId) ?? 0) >= change.clock;
  if (!ctx.afterHandshake) return false;
  return change.createdAt < ctx.connectionOpenedAt || change.tabId === ctx.tabId;
}

export async function recordLocalChange(
  db: FieldboardDb,
  projectId: string,
  change: LocalChange,
  tabId: string,
  now = Date.now(),
): Promise<void> {
  await db.transaction('rw', db.pendingChanges, db.docMeta, async () => {
    await db.pendingChanges.add({
      projectId,
      clientId: change.clientId,
      clock: change.clock,
      deleteOnly: change.deleteOnly ? 1 : 0,
      tabId,
      createdAt: now,
    });
    const meta = await db.docMeta.get(projectId);
    if (!meta) {
      await db.docMeta.put({ projectId, savedVector: null, lastSavedAt: null, ownClientIds: [change.clientId], everSynced: 0 });
    } else if (!meta.ownClientIds.includes(change.clientId)) {
      await db.docMeta.update(projectId, { ownClientIds: [...meta.ownClientIds, change.clientId] });
    }
  });
}

/** Applies a saved message: drops the changes it covers, remembers the vector. Returns how many remain. */
export async function applySavedVector(
  db: FieldboardDb,
  projectId: string,
  encodedVector: Uint8Array,
  ctx: SavedContext,
  now = Date.now(),
): Promise<number> {
  const vector = Y.decodeStateVector(encodedVector);
  return db.transaction('rw', db.pendingChanges, db.docMeta, async () => {
    const pending = await db.pendingChanges.where('projectId').equals(projectId).toArray();
    const durable = pending.filter((c) => isDurable(c, vector, ctx)).map((c) => c.id!);
    await db.pendingChanges.bulkDelete(durable);
    const meta = await db.docMeta.get(projectId);
    const update = { savedVector: encodedVector.slice(), lastSavedAt: now, everSynced: 1 as const };
    if (meta) await db.docMeta.update(projectId, update);
    else await db.docMeta.put({ projectId, ownClientIds: [], ...update });
    return pending.length - durable.length;
  });
}

export async function pendingCount(db: FieldboardDb, projectId: string): Promise<number> {
  return db.pendingChanges.where('projectId').equals(projectId).count();
}
