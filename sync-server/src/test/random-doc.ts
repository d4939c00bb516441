// Seeded random Yjs documents for tests of code that reads or writes Yjs bytes itself (update-slices.ts,
// stepped-snapshot.ts): several peers with their own client ids, exchanging updates now and then.
import * as Y from 'yjs';

/** mulberry32 */
export function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Characters of one, two and three UTF-8 bytes, and astral ones (four bytes, two UTF-16 units: a clock of 2).
const WORDS = ['a', 'bc ', 'é', '✓', '日本', '😀', '👩‍👩‍👧', '𝄞x', 'plain text '];

/** One random edit of `doc`: text (with formatting and astral characters), map values, nested maps, array items. */
export function randomEdit(doc: Y.Doc, rand: () => number, s: number): void {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const map = doc.getMap('m');
  const text = doc.getText('t');
  const arr = doc.getArray<unknown>('a');
  // Editors edit between characters, never inside a UTF-16 surrogate pair: Yjs replaces both halves of a pair
  // it splits with U+FFFD, and replicas that split it at different points of their history then differ.
  const boundary = (at: number) => (/[\uDC00-\uDFFF]/.test(text.toString().charAt(at)) ? at + 1 : at);
  const r = rand();
  if (r < 0.28) {
    const at = boundary(Math.floor(rand() * (text.length + 1)));
    text.insert(at, pick(WORDS), rand() < 0.2 ? { bold: true } : undefined);
  } else if (r < 0.39 && text.length > 2) {
    // Delete whole UTF-16 pairs: Yjs would replace a split pair with U+FFFD.
    const at = Math.floor(rand() * (text.length - 1));
    if (!/[\uD800-\uDFFF]/.test(text.toString().slice(Math.max(0, at - 1), at + 3))) text.delete(at, 1);
  } else if (r < 0.44 && text.length > 1) {
    text.format(0, boundary(Math.floor(rand() * text.length)), { italic: rand() < 0.5 });
  } else if (r < 0.6) {
    map.set(pick(['title', 'status', 'priority', 'k1', 'k2']), pick<unknown>([pick(WORDS), s, rand() < 0.5, null, { n: s, w: [pick(WORDS)] }, new Uint8Array([s & 255, 1])]));
  } else if (r < 0.66) {
    const inner = new Y.Map<unknown>();
    inner.set('x', pick(WORDS));
    map.set(`nested${s % 3}`, inner);
  } else if (r < 0.72) {
    const inner = map.get(`nested${s % 3}`);
    if (inner instanceof Y.Map) inner.set(pick(['x', 'y']), s);
  } else if (r < 0.88) {
    arr.insert(Math.floor(rand() * (arr.length + 1)), [pick<unknown>([s, pick(WORDS), { s }]), ...(rand() < 0.3 ? [s + 1] : [])]);
  } else if (r < 0.97 && arr.length > 0) {
    const at = Math.floor(rand() * arr.length);
    arr.delete(at, Math.min(arr.length - at, 1 + Math.floor(rand() * 2)));
  } else if (map.size > 0) {
    map.delete(pick([...map.keys()]));
  }
}

/**
 * Several peers editing, exchanging updates now and then: a state whose items point at other clients' items
 * (origins, right origins, parents), with deletions.
 */
export function randomState(seed: number, peers: number, steps: number): Uint8Array {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const docs = Array.from({ length: peers }, (_, i) => {
    const d = new Y.Doc();
    d.clientID = 1000 + i * 7; // Yjs writes clients in descending id order: later peers come first
    return d;
  });
  for (let s = 0; s < steps; s++) {
    const doc = pick(docs);
    if (rand() < 0.9) randomEdit(doc, rand, s);
    else {
      // Two peers exchange what the other lacks (concurrent edits meet; later edits build on other clients').
      const other = pick(docs);
      Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)));
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
    }
  }
  const merged = new Y.Doc();
  for (const d of docs) Y.applyUpdate(merged, Y.encodeStateAsUpdate(d));
  return Y.encodeStateAsUpdate(merged);
}
