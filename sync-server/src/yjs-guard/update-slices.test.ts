import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { randomState } from '../test/random-doc.ts';
import { checkUpdateV1 } from './update-check.ts';
import { POISON_687 } from './poison.ts';
import { checkAndPlan, planSlices } from './update-slices.ts';

function wholeDoc(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

/** Applies the pieces one transaction each: none may leave structs or deletions pending. */
function pieceByPiece(pieces: Iterable<Uint8Array>): { doc: Y.Doc; count: number } {
  const doc = new Y.Doc();
  let count = 0;
  for (const piece of pieces) {
    expect(checkUpdateV1(piece)).toEqual({ ok: true });
    Y.applyUpdate(doc, piece);
    expect(doc.store.pendingStructs).toBeNull();
    expect(doc.store.pendingDs).toBeNull();
    count++;
  }
  return { doc, count };
}

function expectSameDoc(actual: Y.Doc, expected: Y.Doc): void {
  const content = (d: Y.Doc) => ({ m: d.getMap('m').toJSON(), t: d.getText('t').toString(), a: d.getArray('a').toJSON() });
  expect(content(actual)).toEqual(content(expected));
  expect(Y.encodeStateVector(actual)).toEqual(Y.encodeStateVector(expected));
  expect(Y.equalDeleteSets(Y.createDeleteSetFromStructStore(actual.store), Y.createDeleteSetFromStructStore(expected.store))).toBe(true);
  expect(actual.getText('t').toDelta()).toEqual(expected.getText('t').toDelta());
}

describe('slicing a document state into causally ordered pieces', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('rebuilds the same document from random multi-client states, with no piece left pending (seed %i)', (seed) => {
    const state = randomState(seed, 2 + (seed % 4), 400);
    const plan = planSlices(state);
    if (!plan) throw new Error('expected a plan');
    // The clock lengths the slicer computes (UTF-16 units for text) are the ones Yjs computes.
    expect(plan.endClocks).toEqual(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state)));
    const expected = wholeDoc(state);
    const deleteRanges = [...Y.decodeUpdate(state).ds.clients.values()].reduce((n, ranges) => n + ranges.length, 0);
    expect(deleteRanges).toBeGreaterThan(0);
    for (const pieceBytes of [1, 40, 300, 1 << 20]) {
      const { doc, count } = pieceByPiece(plan.pieces(pieceBytes));
      expectSameDoc(doc, expected);
      if (pieceBytes === 1) expect(count).toBe(plan.structs + deleteRanges); // one struct or one range a piece
      if (pieceBytes === 1 << 20) expect(count).toBe(deleteRanges ? 2 : 1); // the structs, then the deletions
    }
  });

  it('puts an item after the other client items it points at, whatever order the clients are written in', () => {
    const a = new Y.Doc();
    a.clientID = 1;
    a.getText('t').insert(0, 'hello');
    const b = new Y.Doc();
    b.clientID = 2; // written first in the state
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    b.getText('t').insert(2, 'XY'); // origin and right origin: client 1's item
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    a.getText('t').insert(4, '!'); // origin: client 2's item
    const state = Y.encodeStateAsUpdate(a);

    // Client by client, as written, client 2's item would come before the client 1 item it points at.
    const plan = planSlices(state)!;
    const { doc, count } = pieceByPiece(plan.pieces(1));
    expect(count).toBeGreaterThan(3);
    expect(doc.getText('t').toString()).toBe(a.getText('t').toString());
    expect(doc.getText('t').toString()).toBe('heXY!llo');
  });

  it('refuses what is not a whole, well-formed document state (the caller applies it whole)', () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.getText('t').insert(0, 'abc');
    doc.getText('t').insert(3, 'def');
    doc.getText('t').insert(6, 'ghi');
    const state = Y.encodeStateAsUpdate(doc);
    expect(planSlices(state)).not.toBeNull();
    // An incremental update starts past clock 0.
    expect(planSlices(updates[2]!)).toBeNull();
    // A merge with a gap holds a Skip struct.
    const gapped = Y.mergeUpdates([updates[0]!, updates[2]!]);
    expect(checkUpdateV1(gapped)).toEqual({ ok: true });
    expect(planSlices(gapped)).toBeNull();
    // Truncated or trailing bytes.
    expect(planSlices(state.subarray(0, state.length - 3))).toBeNull();
    expect(planSlices(new Uint8Array([...state, 1]))).toBeNull();
  });

  it('checks as checkUpdateV1 does while it plans, pausing during a long walk', async () => {
    const doc = new Y.Doc();
    for (let i = 0; i < 10_000; i++) doc.getMap('m').set(`k${i % 3000}`, i); // 10,000 structs: walks pause every 4,096
    const state = Y.encodeStateAsUpdate(doc);
    let pauses = 0;
    const pause = async () => {
      pauses++;
      await Promise.resolve();
    };
    const whole = await checkAndPlan(state, pause);
    expect(whole.check).toEqual({ ok: true });
    expect(whole.plan?.structs).toBe(planSlices(state)?.structs);
    expect(pauses).toBe(2);
    for (let cut = 0; cut < state.length; cut += 97) {
      const bytes = state.subarray(0, cut);
      const { check, plan } = await checkAndPlan(bytes, pause);
      expect(check).toEqual(checkUpdateV1(bytes));
      if (!check.ok) expect(plan).toBeNull();
    }
    const poisoned = await checkAndPlan(POISON_687, pause);
    expect(poisoned).toEqual({ check: checkUpdateV1(POISON_687), plan: null });
    expect(poisoned.check.ok).toBe(false);
  });
});
