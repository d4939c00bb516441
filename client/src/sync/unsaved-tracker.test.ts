import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createUserDb, type FieldboardDb } from '../db/database.ts';
import { applySavedVector, describeLocalChange, isDurable, pendingCount, recordLocalChange } from './unsaved-tracker.ts';

let db: FieldboardDb;
afterEach(async () => {
  await db?.delete();
});

/** A client doc whose local transactions are recorded as pending changes, like a project session does. */
function trackedDoc(projectId: string, tabId: string) {
  const doc = new Y.Doc();
  const writes: Promise<unknown>[] = [];
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (!tr.local) return;
    const change = describeLocalChange(doc, tr);
    if (change) writes.push(recordLocalChange(db, projectId, change, tabId, Date.now()));
  });
  return { doc, flush: () => Promise.all(writes) };
}

describe('unsaved changes vs saved vectors', () => {
  it('counts every local change until a saved vector covers its clock', async () => {
    db = createUserDb(`u-${crypto.randomUUID()}`);
    const { doc, flush } = trackedDoc('p', 'tab1');
    const server = new Y.Doc();
    doc.getMap('tasks').set('a', 1);
    server.transact(() => Y.applyUpdate(server, Y.encodeStateAsUpdate(doc)));
    const savedAfterFirst = Y.encodeStateVector(server);
    doc.getMap('tasks').set('b', 2);
    doc.getMap('tasks').set('c', 3);
    await flush();
    expect(await pendingCount(db, 'p')).toBe(3);

    const ctx = { tabId: 'tab1', connectionOpenedAt: 0, afterHandshake: true };
    expect(await applySavedVector(db, 'p', savedAfterFirst, ctx)).toBe(2);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
    expect(await applySavedVector(db, 'p', Y.encodeStateVector(server), ctx)).toBe(0);
    const meta = await db.docMeta.get('p');
    expect(meta?.lastSavedAt).toBeTypeOf('number');
    expect(meta?.ownClientIds).toEqual([doc.clientID]);
  });

  it('keeps counting changes of an earlier session (another client id) until they are covered', async () => {
    db = createUserDb(`u-${crypto.randomUUID()}`);
    const earlier = trackedDoc('p', 'old-tab');
    earlier.doc.getMap('m').set('x', 1);
    await earlier.flush();
    // New session: a fresh Y.Doc (new client id) loaded from the stored state.
    const now = trackedDoc('p', 'new-tab');
    Y.applyUpdate(now.doc, Y.encodeStateAsUpdate(earlier.doc));
    now.doc.getMap('m').set('y', 2);
    await now.flush();
    expect(await pendingCount(db, 'p')).toBe(2);
    // A server that has only the new session's change does not make the old one saved.
    const partial = new Map([[now.doc.clientID, 1]]);
    const vec = encodeVector(partial);
    expect(await applySavedVector(db, 'p', vec, { tabId: 'new-tab', connectionOpenedAt: 0, afterHandshake: true })).toBe(1);
    const full = encodeVector(new Map([[now.doc.clientID, 1], [earlier.doc.clientID, 1]]));
    expect(await applySavedVector(db, 'p', full, { tabId: 'new-tab', connectionOpenedAt: 0, afterHandshake: true })).toBe(0);
  });

  it('resolves delete-only changes only by a saved message on a connection that carried them', async () => {
    db = createUserDb(`u-${crypto.randomUUID()}`);
    const { doc, flush } = trackedDoc('p', 'tab1');
    doc.getText('t').insert(0, 'abc');
    await flush();
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
    await applySavedVector(db, 'p', Y.encodeStateVector(server), { tabId: 'tab1', connectionOpenedAt: 0, afterHandshake: true });
    expect(await pendingCount(db, 'p')).toBe(0);

    doc.getText('t').delete(0, 1); // advances no clock
    await flush();
    const [change] = await db.pendingChanges.toArray();
    expect(change.deleteOnly).toBe(1);
    const vector = Y.decodeStateVector(Y.encodeStateVector(server));
    // Another tab's live connection did not send it, and it predates nothing: not durable.
    expect(isDurable(change, vector, { tabId: 'tab2', connectionOpenedAt: change.createdAt - 1, afterHandshake: true })).toBe(false);
    // A connection opened after the change sent the whole delete set in its handshake: durable.
    expect(isDurable(change, vector, { tabId: 'tab2', connectionOpenedAt: change.createdAt + 1, afterHandshake: true })).toBe(true);
    // ...but not by the saved message answering our step 1, which the server sends before reading our step 2.
    expect(isDurable(change, vector, { tabId: 'tab2', connectionOpenedAt: change.createdAt + 1, afterHandshake: false })).toBe(false);
    // This tab's own live connection sent it as it happened: durable.
    expect(isDurable(change, vector, { tabId: 'tab1', connectionOpenedAt: 0, afterHandshake: true })).toBe(true);
  });

  it('ignores transactions that changed nothing', () => {
    const doc = new Y.Doc();
    let described: unknown = 'unset';
    doc.on('afterTransaction', (tr: Y.Transaction) => (described = describeLocalChange(doc, tr)));
    doc.transact(() => {});
    expect(described).toBeNull();
  });
});

function encodeVector(vector: Map<number, number>): Uint8Array {
  // Y.encodeStateVector accepts a Map as well as a Doc.
  return Y.encodeStateVector(vector as unknown as Y.Doc);
}
