// The stepped snapshot is snapshotOf's bytes on a document that holds still, and a sound snapshot (every struct's
// dependencies in it, its state vector what it holds) on one edited between its steps, from which the edits
// made meanwhile rebuild the live document.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { randomEdit, randomState, rng } from '../test/random-doc.ts';
import { snapshotInSteps } from './stepped-snapshot.ts';
import { snapshotOf } from './stored-head.ts';

function docOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

const content = (d: Y.Doc) => ({ m: d.getMap('m').toJSON(), t: d.getText('t').toDelta(), a: d.getArray('a').toJSON() });

describe('a snapshot encoded in steps', () => {
  it.each([1, 2, 3, 4])('is byte for byte snapshotOf on a document that holds still (seed %i)', async (seed) => {
    const doc = docOf(randomState(seed, 1 + (seed % 3), 3000));
    let pauses = 0;
    const stepped = await snapshotInSteps(doc, () => {
      pauses++;
      return Promise.resolve();
    });
    const whole = snapshotOf(doc);
    expect(pauses).toBeGreaterThan(0);
    expect(Buffer.from(stepped.state).equals(Buffer.from(whole.state))).toBe(true);
    expect(stepped.stateVector).toEqual(whole.stateVector);
    expect(stepped.deleteSet).toEqual(whole.deleteSet);
  });

  it.each([5, 6, 7, 8, 9, 10])('stays sound while the document is edited between its steps (seed %i)', async (seed) => {
    const live = docOf(randomState(seed, 3, 4000));
    live.clientID = 4242;
    const meanwhile: Uint8Array[] = [];
    live.on('update', (u: Uint8Array) => meanwhile.push(u));
    const rand = rng(seed * 31);
    let step = 0;
    // Every pause: a few edits by the live document's own client (splits, merges by continued typing,
    // deletions, nested types replaced) and one by another client.
    const other = docOf(Y.encodeStateAsUpdate(live));
    const snapshot = await snapshotInSteps(live, async () => {
      for (let i = 0; i < 8; i++) randomEdit(live, rand, 10_000 + step++);
      Y.applyUpdate(other, Y.encodeStateAsUpdate(live, Y.encodeStateVector(other)));
      randomEdit(other, rand, 20_000 + step++);
      Y.applyUpdate(live, Y.encodeStateAsUpdate(other, Y.encodeStateVector(live)));
      await Promise.resolve();
    });
    expect(step).toBeGreaterThan(0);

    const loaded = docOf(snapshot.state);
    expect(loaded.store.pendingStructs).toBeNull();
    expect(loaded.store.pendingDs).toBeNull();
    expect(Y.encodeStateVector(loaded)).toEqual(snapshot.stateVector);
    // Its delete set frame names what its state deletes.
    const deletesOnly = docOf(snapshot.state);
    Y.applyUpdate(deletesOnly, snapshot.deleteSet);
    expect(content(deletesOnly)).toEqual(content(loaded));

    // The snapshot plus the log of what happened meanwhile is the live document.
    for (const u of meanwhile) Y.applyUpdate(loaded, u);
    expect(content(loaded)).toEqual(content(live));
    expect(Y.encodeStateVector(loaded)).toEqual(Y.encodeStateVector(live));
  });

  it('resumes inside a struct merged meanwhile, and writes whole a struct that grew past the start', async () => {
    const live = new Y.Doc();
    live.clientID = 7;
    const text = live.getText('t');
    text.insert(0, 'a'.repeat(3000));
    // Every other character deleted: 3,000 one-character structs, kept apart by their deleted flags.
    live.transact(() => {
      for (let i = 2998; i >= 0; i -= 2) text.delete(i, 1);
    });
    text.insert(text.length, 'z');
    const meanwhile: Uint8Array[] = [];
    live.on('update', (u: Uint8Array) => meanwhile.push(u));
    let pauses = 0;
    const snapshot = await snapshotInSteps(live, async () => {
      if (pauses++ === 0) {
        // After the first 1,024 structs: the structs around that clock are deleted and merge into one, and the
        // last struct ('z') grows by continued typing.
        text.delete(0, 1000);
        text.insert(text.length, 'more');
      }
      await Promise.resolve();
    });
    expect(pauses).toBeGreaterThan(1);
    const loaded = docOf(snapshot.state);
    expect(loaded.store.pendingStructs).toBeNull();
    expect(Y.encodeStateVector(loaded)).toEqual(snapshot.stateVector);
    expect(Y.decodeStateVector(snapshot.stateVector).get(7)).toBe(3005);
    expect(loaded.getText('t').toString()).toMatch(/zmore$/);
    for (const u of meanwhile) Y.applyUpdate(loaded, u);
    expect(loaded.getText('t').toString()).toBe(text.toString());
  });
});

