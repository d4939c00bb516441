// StoredHead answers a returning client, and a new device given the snapshot's state, exactly as the loaded
// document would (same content after applying), and refuses whenever it cannot: a client holding part of the
// snapshot, an old snapshot without a delete set, a row failing the structural check, a frame that is not a
// sync step 1.
import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { MessageType } from '../../../shared/protocol.ts';
import type { StoredHead as StoredHeadRows } from '../persistence/doc-store.ts';
import { awarenessFrame, SyncStep, syncFrame } from './messages.ts';
import { mergeMany, snapshotOf, StoredHead } from './stored-head.ts';

/** A server document with a snapshot and log rows after it, plus a client synced at snapshot time. */
function scenario() {
  const server = new Y.Doc();
  const rows: Uint8Array[] = [];
  const tasks = server.getMap<Y.Map<unknown>>('tasks');
  let partial!: Uint8Array;
  for (let i = 0; i < 20; i++) {
    const t = new Y.Map<unknown>();
    t.set('title', `task ${i}`);
    tasks.set(`t${i}`, t);
    if (i === 9) partial = Y.encodeStateAsUpdate(server); // a device last online halfway through
  }
  server.getText('notes').insert(0, 'hello world');
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  // Delete-only changes the client never saw, folded into the snapshot: only the delete set carries them.
  tasks.delete('t3');
  server.getText('notes').delete(0, 6);
  const snapshot = snapshotOf(server);
  // Log rows after the snapshot, from two writers.
  server.on('update', (u: Uint8Array) => rows.push(u));
  tasks.get('t1')!.set('title', 'renamed after the snapshot');
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(server));
  other.on('update', (u: Uint8Array) => {
    rows.push(u);
    Y.applyUpdate(server, u);
  });
  tasks.delete('t5');
  other.getText('notes').insert(0, 'big ');
  const head: StoredHeadRows = {
    snapshot: { stateVector: snapshot.stateVector, deleteSet: snapshot.deleteSet, lastUpdateId: '10' },
    updates: rows.map((update, i) => ({ id: String(11 + i), update })),
  };
  return { server, client, head, snapshotState: snapshot.state, partial };
}

/**
 * The updates a head's answer to `client`'s step 1 carries (the delete set or, for a new device, the snapshot's
 * state; then the step 2), in the order a client applies them; null when the head cannot answer it.
 */
function answerUpdates(stored: StoredHead, client: Y.Doc, snapshotState?: Uint8Array): Uint8Array[] | null {
  let reply = stored.answer(syncFrame(SyncStep.Step1, Y.encodeStateVector(client)), false);
  if (reply.kind === 'needs-snapshot' && snapshotState) reply = stored.withSnapshot(snapshotState, reply.clientVector, false);
  if (reply.kind !== 'answered') return null;
  const updates: Uint8Array[] = [];
  for (const frame of [...reply.first, ...reply.rest()!]) {
    const d = decoding.createDecoder(frame);
    if (decoding.readVarUint(d) !== MessageType.Sync) continue;
    if (decoding.readVarUint(d) !== SyncStep.Step1) updates.push(decoding.readVarUint8Array(d));
  }
  return updates;
}

function content(doc: Y.Doc) {
  return { tasks: doc.getMap('tasks').toJSON(), notes: doc.getText('notes').toString() };
}

describe('StoredHead', () => {
  it('brings a client that holds the snapshot content to the full state, deletions included', () => {
    const { server, client, head } = scenario();
    const stored = StoredHead.from(head)!;
    expect(stored.stateVector).toEqual(Y.encodeStateVector(server));
    for (const update of answerUpdates(stored, client)!) Y.applyUpdate(client, update);
    expect(content(client)).toEqual(content(server));
    expect(content(client).tasks).not.toHaveProperty('t3');
    expect(Y.encodeStateVector(client)).toEqual(Y.encodeStateVector(server));
  });

  it('answers a client that has its own offline changes too (it keeps them, gets the rest)', () => {
    const { server, client, head } = scenario();
    client.getMap<Y.Map<unknown>>('tasks').get('t9')!.set('title', 'offline edit');
    const stored = StoredHead.from(head)!;
    for (const update of answerUpdates(stored, client)!) Y.applyUpdate(client, update);
    expect(client.getMap<Y.Map<unknown>>('tasks').get('t9')!.get('title')).toBe('offline edit');
    expect(content(client).notes).toBe(content(server).notes);
  });

  it('brings a new device to the full state with the snapshot as stored ahead of the rows, keeping its own edits', () => {
    const { server, head, snapshotState } = scenario();
    const stored = StoredHead.from(head)!;
    const fresh = new Y.Doc();
    expect(answerUpdates(stored, fresh)).toBeNull(); // without the state there is no answer
    const updates = answerUpdates(stored, fresh, snapshotState)!;
    expect(updates[0]).toEqual(snapshotState); // sent as read: nothing re-encoded
    for (const update of updates) Y.applyUpdate(fresh, update);
    expect(content(fresh)).toEqual(content(server));
    expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(server));
    // A new device with an offline change of its own (its client id is not in the snapshot) keeps it.
    const offline = new Y.Doc();
    offline.getMap<string>('drafts').set('d1', 'written before the first sync');
    for (const update of answerUpdates(stored, offline, snapshotState)!) Y.applyUpdate(offline, update);
    expect(content(offline)).toEqual(content(server));
    expect(offline.getMap('drafts').get('d1')).toBe('written before the first sync');
  });

  it('refuses a client that holds part of the snapshot (it waits for the load)', () => {
    const { head, partial, snapshotState } = scenario();
    const halfway = new Y.Doc();
    Y.applyUpdate(halfway, partial);
    const stored = StoredHead.from(head)!;
    expect(stored.answer(syncFrame(SyncStep.Step1, Y.encodeStateVector(halfway)), true)).toEqual({ kind: 'unanswerable' });
    expect(answerUpdates(stored, halfway, snapshotState)).toBeNull();
  });

  it('works without a snapshot (a young document is only log rows)', () => {
    const doc = new Y.Doc();
    const rows: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => rows.push(u));
    doc.getText('t').insert(0, 'abc');
    doc.getText('t').delete(1, 1);
    const stored = StoredHead.from({ snapshot: null, updates: rows.map((update, i) => ({ id: String(i + 1), update })) })!;
    const fresh = new Y.Doc();
    const updates = answerUpdates(stored, fresh)!;
    expect(updates).toHaveLength(1); // no snapshot, no delete set frame
    Y.applyUpdate(fresh, updates[0]!);
    expect(fresh.getText('t').toString()).toBe('ac');
    expect(stored.stateVector).toEqual(Y.encodeStateVector(doc));
  });

  it('answers from a snapshot without log rows (compacted at unload) and for an empty project, as the loaded document would', () => {
    const { server, client, head } = scenario();
    for (const u of head.updates) Y.applyUpdate(client, u.update); // the client saw everything the rows held
    const compacted = snapshotOf(server);
    const stored = StoredHead.from({ snapshot: { stateVector: compacted.stateVector, deleteSet: compacted.deleteSet, lastUpdateId: '40' }, updates: [] })!;
    expect(stored.stateVector).toEqual(Y.encodeStateVector(server));
    const updates = answerUpdates(stored, client)!;
    expect(updates).toEqual([compacted.deleteSet, Y.encodeStateAsUpdate(new Y.Doc(), Y.encodeStateVector(server))]);
    for (const update of updates) Y.applyUpdate(client, update);
    expect(content(client)).toEqual(content(server));
    // A new project: nothing stored at all.
    const empty = StoredHead.from({ snapshot: null, updates: [] })!;
    expect(empty.stateVector).toEqual(Y.encodeStateVector(new Y.Doc()));
    expect(answerUpdates(empty, new Y.Doc())).toEqual([Y.encodeStateAsUpdate(new Y.Doc())]);
  });

  it('is unavailable for a snapshot stored before delete sets were kept, or a row failing the structural check', () => {
    const { head } = scenario();
    expect(StoredHead.from({ ...head, snapshot: { ...head.snapshot!, deleteSet: null } })).toBeNull();
    expect(StoredHead.from({ ...head, updates: [...head.updates, { id: '99', update: new Uint8Array([1, 200, 1, 2]) }] })).toBeNull();
  });

  it('answers only a well-formed sync step 1: the snapshot delete set, step 2, saved (fieldboard.v1 only), then our step 1', () => {
    const { client, head } = scenario();
    const stored = StoredHead.from(head)!;
    const vector = Y.encodeStateVector(client);
    expect(stored.answer(awarenessFrame(new Uint8Array([0])), true)).toEqual({ kind: 'other' });
    expect(stored.answer(syncFrame(SyncStep.Update, new Uint8Array([0, 0])), true)).toEqual({ kind: 'other' });
    expect(stored.answer(new Uint8Array([0, 0, 5, 1]), true)).toEqual({ kind: 'other' }); // truncated
    const empty = Y.encodeStateVector(new Y.Doc());
    expect(stored.answer(syncFrame(SyncStep.Step1, empty), true)).toEqual({ kind: 'needs-snapshot', clientVector: empty });
    const reply = stored.answer(syncFrame(SyncStep.Step1, vector), true);
    if (reply.kind !== 'answered') throw new Error(`expected an answer, got ${reply.kind}`);
    expect(reply.clientVector).toEqual(vector);
    expect(reply.first).toHaveLength(1); // the delete set leaves before the rows are merged
    const kinds = [...reply.first, ...reply.rest()!].map((f) => {
      const d = decoding.createDecoder(f);
      const type = decoding.readVarUint(d);
      return type === MessageType.Sync ? `sync-${decoding.readVarUint(d)}` : String(type);
    });
    expect(kinds).toEqual(['sync-2', 'sync-1', String(MessageType.Saved), 'sync-0']);
    const plain = stored.answer(syncFrame(SyncStep.Step1, vector), false);
    expect(plain.kind === 'answered' && plain.rest()).toHaveLength(2);
  });

  it('merges many log rows in groups to what one merge of them all gives', () => {
    // Three writers interleaved, 300 rows, and a gap (rows 100-109 missing) that leaves later rows pending.
    const writers = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    const rows: Uint8Array[] = [];
    for (const w of writers) w.on('update', (u: Uint8Array, origin: unknown) => origin !== 'peer' && rows.push(u));
    for (let i = 0; i < 300; i++) {
      const w = writers[i % 3]!;
      if (i % 7 === 0) w.getText('notes').insert(0, `${i} `);
      else w.getMap('tasks').set(`t${i % 11}`, `edit ${i}`);
      for (const other of writers) if (other !== w) Y.applyUpdate(other, rows[rows.length - 1]!, 'peer');
    }
    expect(rows).toHaveLength(300);
    const withGap = [...rows.slice(0, 100), ...rows.slice(110)];
    for (const input of [rows, withGap, rows.slice(0, 1), []]) {
      const grouped = mergeMany(input);
      const once = input.length ? Y.mergeUpdates(input) : new Uint8Array([0, 0]);
      const a = new Y.Doc();
      const b = new Y.Doc();
      Y.applyUpdate(a, grouped);
      Y.applyUpdate(b, once);
      expect(a.getText('notes').toString()).toBe(b.getText('notes').toString());
      expect(a.getMap('tasks').toJSON()).toEqual(b.getMap('tasks').toJSON());
      expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b));
      expect(Y.parseUpdateMeta(grouped)).toEqual(Y.parseUpdateMeta(once));
    }
    // Every row present: the full document.
    const full = new Y.Doc();
    Y.applyUpdate(full, mergeMany(rows));
    expect(full.getMap('tasks').toJSON()).toEqual(writers[0]!.getMap('tasks').toJSON());
  });
});
