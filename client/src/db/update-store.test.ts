import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createUserDb, type FieldboardDb } from './database.ts';
import { appendUpdate, applyStored, compactUpdates, countUpdates, loadUpdates, toBytes } from './update-store.ts';

let db: FieldboardDb;
afterEach(async () => {
  await db?.delete();
});

function recordingDoc(dbRef: FieldboardDb, projectId: string) {
  const doc = new Y.Doc();
  const writes: Promise<unknown>[] = [];
  doc.on('update', (update: Uint8Array) => writes.push(appendUpdate(dbRef, projectId, update)));
  return { doc, flush: () => Promise.all(writes) };
}

describe('update storage', () => {
  it('stores every update and loads them back into an identical document', async () => {
    db = createUserDb(`u-${crypto.randomUUID()}`);
    const { doc, flush } = recordingDoc(db, 'p1');
    const tasks = doc.getMap<string>('tasks');
    for (let i = 0; i < 20; i++) tasks.set(`t${i}`, `title ${i}`);
    doc.getText('d').insert(0, 'hello world');
    doc.getText('d').delete(0, 6);
    await flush();
    expect(await countUpdates(db, 'p1')).toBe(22);

    const copy = new Y.Doc();
    const { applied, failed } = applyStored(copy, await loadUpdates(db, 'p1'), 'load');
    expect(applied).toBe(22);
    expect(failed).toBe(0);
    expect(copy.getMap('tasks').toJSON()).toEqual(tasks.toJSON());
    expect(copy.getText('d').toString()).toBe('world');
  });

  it('compacts past the threshold into one snapshot without losing anything, and keeps other projects apart', async () => {
    db = createUserDb(`u-${crypto.randomUUID()}`);
    const a = recordingDoc(db, 'pa');
    const b = recordingDoc(db, 'pb');
    for (let i = 0; i < 30; i++) a.doc.getArray<number>('list').push([i]);
    a.doc.getArray('list').delete(0, 10);
    b.doc.getMap('m').set('k', 'v');
    await Promise.all([a.flush(), b.flush()]);

    expect(await compactUpdates(db, 'pa', 50)).toBe(false);
    expect(await compactUpdates(db, 'pa', 10)).toBe(true);
    expect(await countUpdates(db, 'pa')).toBe(1);
    expect(await countUpdates(db, 'pb')).toBe(1);
    const rows = await db.docUpdates.where('projectId').equals('pa').toArray();
    expect(rows[0].snapshot).toBe(1);

    // Updates after compaction append to the snapshot.
    a.doc.getArray<number>('list').push([99]);
    await a.flush();
    const copy = new Y.Doc();
    applyStored(copy, await loadUpdates(db, 'pa'), null);
    expect(copy.getArray('list').toJSON()).toEqual(a.doc.getArray('list').toJSON());
    expect(copy.getArray('list').length).toBe(21);
    expect(Y.encodeStateVector(copy)).toEqual(Y.encodeStateVector(a.doc));
  });

  it('skips an undecodable row instead of failing the whole load', async () => {
    db = createUserDb(`u-${crypto.randomUUID()}`);
    const { doc, flush } = recordingDoc(db, 'p');
    doc.getMap('m').set('a', 1);
    await flush();
    await db.docUpdates.add({ projectId: 'p', update: new Uint8Array([255, 255, 255, 1, 2]), snapshot: 0, createdAt: 0 });
    const copy = new Y.Doc();
    const result = applyStored(copy, await loadUpdates(db, 'p'), null);
    expect(result.failed).toBe(1);
    expect(copy.getMap('m').get('a')).toBe(1);
  });

  it('[trap 11] reads bytes with ArrayBuffer.isView, whatever realm or shape IndexedDB returns', () => {
    const buffer = new ArrayBuffer(4);
    new Uint8Array(buffer).set([1, 2, 3, 4]);
    expect(Array.from(toBytes(buffer)!)).toEqual([1, 2, 3, 4]);
    expect(Array.from(toBytes(new DataView(buffer, 1, 2))!)).toEqual([2, 3]);
    expect(toBytes('not bytes')).toBeNull();
    expect(toBytes({ length: 2 })).toBeNull();
  });
});
