import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MessageType } from '../../../shared/protocol.ts';
// eslint-disable-next-line no-restricted-imports -- test only: every piece must pass the server's own structural check
import { checkUpdateV1 } from '../../../sync-server/src/yjs-guard/update-check.ts';
import { frameBudget, FrameLimit, splitSyncFrame, splitUpdate, syncUpdateFrame } from './frame-splitter.ts';
import { mulberry32 } from '../../../shared/test/prng.ts';

/** Deterministic PRNG, so a failure replays. */
const rng = mulberry32;

const words = ['alpha', 'beta', 'gamma', 'delta', 'épsilon', '🙂 emoji', 'zeta', 'a longer sentence with more words in it'];

/** Seeded edits of every kind our document uses: map keys, arrays, text, nested maps, deletions. */
function edit(doc: Y.Doc, rand: () => number, n: number) {
  const tasks = doc.getMap<Y.Map<unknown>>('tasks');
  const order = doc.getArray<string>('order');
  const notes = doc.getText('notes');
  for (let i = 0; i < n; i++) {
    const r = rand();
    const word = words[Math.floor(rand() * words.length)]!;
    doc.transact(() => {
      if (r < 0.3) {
        const id = `t${Math.floor(rand() * 1e9)}`;
        const task = new Y.Map<unknown>();
        task.set('title', word);
        task.set('points', Math.floor(rand() * 13));
        task.set('tags', [word, i]);
        tasks.set(id, task);
        order.insert(Math.floor(rand() * (order.length + 1)), [id]);
      } else if (r < 0.45 && order.length > 0) {
        const at = Math.floor(rand() * order.length);
        const id = order.get(at);
        order.delete(at, 1);
        tasks.delete(id);
      } else if (r < 0.75) {
        notes.insert(Math.floor(rand() * (notes.length + 1)), word + ' ');
      } else if (r < 0.85 && notes.length > 4) {
        const at = Math.floor(rand() * (notes.length - 2));
        notes.delete(at, 1 + Math.floor(rand() * 2));
      } else {
        const keys = [...tasks.keys()];
        const key = keys[Math.floor(rand() * keys.length)];
        if (key) tasks.get(key)!.set('title', `${word} ${i}`);
      }
    });
  }
}

function contentOf(doc: Y.Doc) {
  return {
    tasks: doc.getMap('tasks').toJSON(),
    order: doc.getArray('order').toJSON(),
    notes: doc.getText('notes').toString(),
    sv: [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort((a, b) => a[0] - b[0]),
  };
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function frameUpdate(frame: Uint8Array): { step: number; update: Uint8Array } {
  const d = decoding.createDecoder(frame);
  expect(decoding.readVarUint(d)).toBe(MessageType.Sync);
  const step = decoding.readVarUint(d);
  const update = decoding.readVarUint8Array(d);
  expect(decoding.hasContent(d)).toBe(false);
  return { step, update };
}

/** A server-side base, and an offline device that shares it and then made many edits (two client ids). */
function offlineScenario(seed: number) {
  const rand = rng(seed);
  const base = new Y.Doc();
  edit(base, rand, 60);
  const baseState = Y.encodeStateAsUpdate(base);
  const device = new Y.Doc();
  Y.applyUpdate(device, baseState);
  const otherTab = new Y.Doc();
  Y.applyUpdate(otherTab, baseState);
  edit(device, rand, 300 + Math.floor(rand() * 300));
  edit(otherTab, rand, 200);
  Y.applyUpdate(device, Y.encodeStateAsUpdate(otherTab));
  edit(device, rand, 200); // edits on top of the other tab's, so dependencies cross clients
  return { rand, baseState, device, serverVector: Y.encodeStateVector(base) };
}

describe('frame splitter', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`splits an offline step 2 into valid pieces that converge in any order (seed ${seed})`, () => {
      const { rand, baseState, device, serverVector } = offlineScenario(seed);
      const update = Y.encodeStateAsUpdate(device, serverVector);
      const limit = 1024 + Math.floor(rand() * 3000);
      const frame = syncUpdateFrame(update);
      expect(frame.byteLength).toBeGreaterThan(limit);
      const split = splitSyncFrame(frame, limit)!;
      expect(split.unsendable).toEqual([]);
      expect(split.frames.length).toBeGreaterThan(1);
      const pieces = split.frames.map((f) => {
        expect(f.byteLength).toBeLessThanOrEqual(limit);
        const { step, update: piece } = frameUpdate(f);
        expect(step).toBe(2);
        expect(checkUpdateV1(piece)).toEqual({ ok: true });
        return piece;
      });

      const expected = new Y.Doc();
      Y.applyUpdate(expected, baseState);
      Y.applyUpdate(expected, update);

      for (const order of [pieces, shuffle(pieces, rand), pieces.slice().reverse()]) {
        const peer = new Y.Doc();
        Y.applyUpdate(peer, baseState);
        for (const piece of order) Y.applyUpdate(peer, piece);
        expect(peer.store.pendingStructs).toBeNull();
        expect(peer.store.pendingDs).toBeNull();
        expect(contentOf(peer)).toEqual(contentOf(expected));
        expect(contentOf(peer)).toEqual(contentOf(device));
        expect(Y.equalSnapshots(Y.snapshot(peer), Y.snapshot(device))).toBe(true);
      }
      // The pieces carry exactly the original content: merged, they are the same update as the original
      // re-encoded by Yjs (which drops the parentSub bit of items that have an origin: readers ignore it).
      expect(Y.mergeUpdates(pieces)).toEqual(Y.diffUpdate(update, Y.encodeStateVector(new Y.Doc())));
    });
  }

  it('leaves frames under the budget alone, and frames that are not sync updates', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'small');
    expect(splitSyncFrame(syncUpdateFrame(Y.encodeStateAsUpdate(doc)), 1024)).toBeNull();
    const awareness = new Uint8Array(5000).fill(7);
    awareness[0] = MessageType.Awareness;
    expect(splitSyncFrame(awareness, 1024)).toBeNull();
    const garbage = syncUpdateFrame(new Uint8Array(4000).fill(0xff));
    expect(splitSyncFrame(garbage, 1024)).toBeNull();
  });

  it('reports a struct larger than any frame instead of sending it, and sends the rest', () => {
    const doc = new Y.Doc();
    doc.getText('small').insert(0, 'before');
    doc.getText('huge').insert(0, 'x'.repeat(5000)); // one item
    const other = new Y.Doc();
    other.getMap('m').set('k', 'other client');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    const update = Y.encodeStateAsUpdate(doc);
    const { pieces, unsendable } = splitUpdate(update, 2048);
    expect(unsendable).toEqual([{ client: doc.clientID, clock: 6, length: 5000, bytes: expect.any(Number) }]);
    expect(unsendable[0]!.bytes).toBeGreaterThan(5000);
    const peer = new Y.Doc();
    for (const p of pieces) {
      expect(syncUpdateFrame(p).byteLength).toBeLessThanOrEqual(2048);
      Y.applyUpdate(peer, p);
    }
    expect(peer.getText('small').toString()).toBe('before');
    expect(peer.getMap('m').get('k')).toBe('other client');
    expect(peer.getText('huge').toString()).toBe('');
  });

  it('splits a large delete set into several pieces', () => {
    const doc = new Y.Doc();
    const arr = doc.getArray<number>('a');
    for (let i = 0; i < 3000; i++) arr.push([i]); // separate items: separate delete ranges below
    const base = Y.encodeStateAsUpdate(doc);
    const vector = Y.encodeStateVector(doc);
    doc.transact(() => {
      for (let i = arr.length - 1; i >= 0; i -= 2) arr.delete(i, 1);
    });
    const update = Y.encodeStateAsUpdate(doc, vector);
    const { pieces } = splitUpdate(update, 1024);
    expect(pieces.length).toBeGreaterThan(3);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, base);
    for (const p of shuffle(pieces, rng(9))) {
      expect(syncUpdateFrame(p).byteLength).toBeLessThanOrEqual(1024);
      Y.applyUpdate(peer, p);
    }
    expect(peer.getArray('a').toJSON()).toEqual(arr.toJSON());
  });

  it('keeps a safety margin under the server limit and halves it on refusal, down to the minimum', () => {
    expect(frameBudget(1024 * 1024)).toBe(1024 * 1024 - 65536);
    const limit = new FrameLimit(4096);
    expect(limit.budget).toBeLessThan(4096);
    expect(limit.shrink()).toBe(true);
    expect(limit.serverLimit).toBe(2048);
    expect(limit.shrink()).toBe(true);
    expect(limit.shrink()).toBe(false);
    expect(limit.serverLimit).toBe(1024);
  });
});
