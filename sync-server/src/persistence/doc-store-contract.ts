// One contract for every DocStore implementation (run by memory-doc-store.test.ts and pg-doc-store.test.ts).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from './doc-store.ts';

export interface ContractContext {
  store: () => DocStore;
  /** A fresh project id the store may write to (the PostgreSQL store needs a projects row). */
  newProject: () => Promise<string>;
}

function updateWith(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

/** An update with no structs and no deletions. */
const NO_DELETES = new Uint8Array([0, 0]);

export function docStoreContract(name: string, ctx: ContractContext): void {
  describe(`DocStore contract: ${name}`, () => {
    it('loads an unknown document as empty (no snapshot, no rows)', async () => {
      const loaded = await ctx.store().load(await ctx.newProject());
      expect(loaded).toEqual({ snapshot: null, updates: [] });
    });

    it('appends a batch in one call and loads the rows back in order with increasing ids', async () => {
      const p = await ctx.newProject();
      const a = updateWith('a');
      const b = updateWith('b');
      const c = updateWith('c');
      const first = await ctx.store().append({ projectId: p, updates: [{ update: a, userId: null }, { update: b, userId: null }] });
      const second = await ctx.store().append({ projectId: p, updates: [{ update: c, userId: null }] });
      expect(BigInt(second.lastId)).toBeGreaterThan(BigInt(first.lastId));
      const loaded = await ctx.store().load(p);
      expect(loaded.updates.map((u) => u.update)).toEqual([a, b, c]);
      const ids = loaded.updates.map((u) => BigInt(u.id));
      expect([...ids].sort((x, y) => (x < y ? -1 : 1))).toEqual(ids);
      expect(loaded.updates[2]!.id).toBe(second.lastId);
    });

    it('stores update bytes exactly: every byte value, and lengths that are not multiples of 3 or 4', async () => {
      const p = await ctx.newProject();
      const every = Uint8Array.from({ length: 256 }, (_, i) => i);
      const sent = [every, every.subarray(3, 4), every.subarray(250, 255), Uint8Array.of(255, 0), updateWith('é€😀')];
      await ctx.store().append({ projectId: p, updates: sent.map((update) => ({ update, userId: null })) });
      const loaded = await ctx.store().load(p);
      expect(loaded.updates.map((u) => [...u.update])).toEqual(sent.map((u) => [...u]));
    });

    it('loads rows in numeric id order across a change in the number of digits (9 < 10)', async () => {
      const p = await ctx.newProject();
      const sent: Uint8Array[] = [];
      let first: string | null = null;
      let last = '0';
      // Append until the ids gain a digit, so text order and numeric order differ.
      for (let i = 0; i < 40 && (first === null || last.length === first.length); i++) {
        const batch = Array.from({ length: 50 }, (_, j) => updateWith(`${i}-${j}`));
        sent.push(...batch);
        const { lastId } = await ctx.store().append({ projectId: p, updates: batch.map((update) => ({ update, userId: null })) });
        first ??= (BigInt(lastId) - 49n).toString();
        last = lastId;
      }
      expect(last.length).toBeGreaterThan(first!.length);
      const loaded = await ctx.store().load(p);
      expect(loaded.updates.map((u) => u.update)).toEqual(sent);
      expect(loaded.updates.at(-1)!.id).toBe(last);
    });

    it('compaction stores the snapshot and drops exactly the rows it covers', async () => {
      const p = await ctx.newProject();
      const { lastId } = await ctx.store().append({ projectId: p, updates: [{ update: updateWith('x'), userId: null }, { update: updateWith('y'), userId: null }] });
      const later = updateWith('z');
      await ctx.store().append({ projectId: p, updates: [{ update: later, userId: null }] });
      const state = updateWith('snapshot');
      await ctx.store().compact(p, { state, stateVector: new Uint8Array([0]), deleteSet: NO_DELETES, lastUpdateId: lastId, updateCount: 2 });
      const loaded = await ctx.store().load(p);
      expect(loaded.snapshot).toEqual({ state, lastUpdateId: lastId });
      expect(loaded.updates.map((u) => u.update)).toEqual([later]);
    });

    it('a compaction running beside appends of the same project keeps every row appended meanwhile, in order', async () => {
      // Rooms compact without holding their appends (Room.compact): the two reach the store at the same time.
      const p = await ctx.newProject();
      const { lastId } = await ctx.store().append({ projectId: p, updates: [{ update: updateWith('folded'), userId: null }] });
      const state = updateWith('snapshot');
      const later = Array.from({ length: 6 }, (_, i) => updateWith(`later-${i}`));
      const appending = (async () => {
        for (const update of later) await ctx.store().append({ projectId: p, updates: [{ update, userId: null }] });
      })();
      await Promise.all([ctx.store().compact(p, { state, stateVector: new Uint8Array([0]), deleteSet: NO_DELETES, lastUpdateId: lastId, updateCount: 1 }), appending]);
      const loaded = await ctx.store().load(p);
      expect(loaded.snapshot).toEqual({ state, lastUpdateId: lastId });
      expect(loaded.updates.map((u) => u.update)).toEqual(later);
    });

    it('the head holds the snapshot vector and delete set and the rows after it, never the state', async () => {
      const p = await ctx.newProject();
      expect(await ctx.store().loadHead(p)).toEqual({ snapshot: null, updates: [] });
      const { lastId } = await ctx.store().append({ projectId: p, updates: [{ update: updateWith('x'), userId: null }] });
      const later = updateWith('y');
      await ctx.store().append({ projectId: p, updates: [{ update: later, userId: null }] });
      const deleteSet = new Uint8Array([0, 1, 7, 1, 0, 2]);
      await ctx.store().compact(p, { state: updateWith('snapshot'), stateVector: new Uint8Array([1, 7, 3]), deleteSet, lastUpdateId: lastId, updateCount: 1 });
      const head = await ctx.store().loadHead(p);
      expect(head.snapshot).toEqual({ stateVector: new Uint8Array([1, 7, 3]), deleteSet, lastUpdateId: lastId });
      expect(head.updates.map((u) => u.update)).toEqual([later]);
    });

    it('reads the snapshot state only while the snapshot still covers the given row id', async () => {
      const p = await ctx.newProject();
      const first = await ctx.store().append({ projectId: p, updates: [{ update: updateWith('1'), userId: null }] });
      const state = updateWith('snap-1');
      await ctx.store().compact(p, { state, stateVector: new Uint8Array([0]), deleteSet: NO_DELETES, lastUpdateId: first.lastId, updateCount: 1 });
      expect(await ctx.store().loadSnapshotState(p, first.lastId)).toEqual(state);
      const second = await ctx.store().append({ projectId: p, updates: [{ update: updateWith('2'), userId: null }] });
      await ctx.store().compact(p, { state: updateWith('snap-2'), stateVector: new Uint8Array([0]), deleteSet: NO_DELETES, lastUpdateId: second.lastId, updateCount: 1 });
      expect(await ctx.store().loadSnapshotState(p, first.lastId)).toBeNull();
    });

    it('never replaces a snapshot with an older one', async () => {
      const p = await ctx.newProject();
      const first = await ctx.store().append({ projectId: p, updates: [{ update: updateWith('1'), userId: null }] });
      const second = await ctx.store().append({ projectId: p, updates: [{ update: updateWith('2'), userId: null }] });
      const newer = updateWith('newer');
      await ctx.store().compact(p, { state: newer, stateVector: new Uint8Array([0]), deleteSet: NO_DELETES, lastUpdateId: second.lastId, updateCount: 2 });
      await ctx.store().compact(p, { state: updateWith('older'), stateVector: new Uint8Array([0]), deleteSet: NO_DELETES, lastUpdateId: first.lastId, updateCount: 1 });
      expect((await ctx.store().load(p)).snapshot?.state).toEqual(newer);
    });

    it('keeps projects apart', async () => {
      const p = await ctx.newProject();
      const q = await ctx.newProject();
      await ctx.store().append({ projectId: p, updates: [{ update: updateWith('p'), userId: null }] });
      expect((await ctx.store().load(q)).updates).toEqual([]);
    });
  });
}
