// Small helpers for unit tests: replicas with fixed client ids, full sync, and a deterministic context.
import * as Y from 'yjs';
import type { WriteContext } from '../doc-model.ts';
import { createRng } from './prng.ts';

/** `count` documents with client ids 1, 2, 3, ... (a lower id loses Yjs's concurrent-insert tie-break). */
export function replicas(count: number): Y.Doc[] {
  return Array.from({ length: count }, (_, i) => {
    const doc = new Y.Doc();
    doc.clientID = i + 1;
    return doc;
  });
}

/** Exchanges everything both ways until all documents hold the same state. */
export function syncAll(...docs: Y.Doc[]): void {
  for (let round = 0; round < 2; round++) {
    for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  }
}

/** A context with a clock that starts at `start` and advances one second per operation, and seeded ids. */
export function testCtx(seed = 1, start = '2026-03-01T09:00:00.000Z', extra: Partial<WriteContext> = {}): WriteContext & { tick(): string } {
  const rng = createRng(seed);
  let t = Date.parse(start);
  let last = start;
  return {
    now: () => {
      last = new Date(t).toISOString();
      t += 1000;
      return new Date(last);
    },
    newId: () => rng.uuid(),
    rank: { random: rng.next },
    tick: () => last,
    ...extra,
  };
}
