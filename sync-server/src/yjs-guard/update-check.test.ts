import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkStateVector, checkUpdateV1, parseAwarenessUpdate } from './update-check.ts';
import { POISON_687 } from './poison.ts';

function richDoc(): Y.Doc {
  const doc = new Y.Doc();
  const map = doc.getMap('m');
  map.set('string', 'x');
  map.set('number', 1.5);
  map.set('int', -42);
  map.set('bool', true);
  map.set('null', null);
  map.set('obj', { a: [1, 'b', { c: null }], d: new Uint8Array([1, 2, 3]) });
  map.set('bin', new Uint8Array([9, 8, 7]));
  const inner = new Y.Map();
  map.set('inner', inner);
  inner.set('k', 'v');
  const text = new Y.Text();
  map.set('text', text);
  text.insert(0, 'héllo wörld ✓', { bold: true });
  text.format(0, 3, { italic: true });
  text.insertEmbed(2, { image: 'x.png' });
  const arr = doc.getArray('a');
  arr.push([1, 2, 3, 'four']);
  arr.delete(1, 1);
  const xml = doc.getXmlFragment('x');
  const el = new Y.XmlElement('p');
  xml.insert(0, [el, new Y.XmlText('t')]);
  el.setAttribute('class', 'c');
  map.delete('string');
  return doc;
}

/** mulberry32 */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('V1 structural check', () => {
  it('accepts every update Yjs itself produces (all content kinds, deletes, incremental updates)', () => {
    const doc = richDoc();
    expect(checkUpdateV1(Y.encodeStateAsUpdate(doc))).toEqual({ ok: true });
    const updates: Uint8Array[] = [];
    const other = new Y.Doc();
    other.on('update', (u: Uint8Array) => updates.push(u));
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    other.getText('t').insert(0, 'abc');
    other.getText('t').delete(1, 1);
    for (const u of updates) expect(checkUpdateV1(u)).toEqual({ ok: true });
    expect(checkUpdateV1(Y.encodeStateAsUpdate(new Y.Doc()))).toEqual({ ok: true });
  });

  it('checks UTF-8 of every string it does not keep (text content, map values and keys, root type names)', () => {
    const doc = new Y.Doc();
    doc.getText('RRR').insert(0, 'QQQ');
    doc.getMap('m').set('KKK', 'ZZZ');
    const update = Y.encodeStateAsUpdate(doc);
    const withBytes = (marker: string, bytes: number[]) => {
      const at = Buffer.from(update).indexOf(marker);
      expect(at).toBeGreaterThan(0);
      const copy = update.slice();
      copy.set(bytes, at);
      return copy;
    };
    expect(checkUpdateV1(update)).toEqual({ ok: true });
    for (const marker of ['QQQ', 'ZZZ', 'KKK', 'RRR']) {
      expect(checkUpdateV1(withBytes(marker, [0xe2, 0x82, 0xac]))).toEqual({ ok: true }); // a valid euro sign
      for (const bad of [[0xff, 0x41, 0x41], [0xc0, 0x80, 0x41], [0xed, 0xa0, 0x80], [0x41, 0xe2, 0x82]]) {
        expect(checkUpdateV1(withBytes(marker, bad)), `${marker} ${bad}`).toEqual({ ok: false, reason: 'invalid UTF-8' });
      }
    }
  });

  it('refuses the yjs #687 payload and other V2 updates', () => {
    expect(checkUpdateV1(POISON_687).ok).toBe(false);
    expect(checkUpdateV1(Y.encodeStateAsUpdateV2(richDoc())).ok).toBe(false);
  });

  it('refuses truncations, trailing bytes, subdocuments and absurd counts', () => {
    const full = Y.encodeStateAsUpdate(richDoc());
    for (let cut = 0; cut < full.length; cut++) expect(checkUpdateV1(full.subarray(0, cut)).ok, `cut at ${cut}`).toBe(false);
    expect(checkUpdateV1(Uint8Array.from([...full, 0])).ok).toBe(false);
    const withSub = new Y.Doc();
    withSub.getMap('m').set('sub', new Y.Doc());
    expect(checkUpdateV1(Y.encodeStateAsUpdate(withSub))).toEqual({ ok: false, reason: 'subdocuments are not accepted' });
    // 1 client with 2^40 structs in a 10-byte message: yjs would try `new Array(2**40)`.
    expect(checkUpdateV1(Uint8Array.from([1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 1, 0, 0])).ok).toBe(false);
  });

  it('after the check passes, the V1 decoder finishes fast on mutated bytes (600 seeded mutations)', () => {
    const base = Y.encodeStateAsUpdate(richDoc());
    const rand = rng(687);
    let accepted = 0;
    let worst = 0;
    for (let i = 0; i < 600; i++) {
      const bytes = base.slice();
      const flips = 1 + Math.floor(rand() * 3);
      for (let f = 0; f < flips; f++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      if (!checkUpdateV1(bytes).ok) continue;
      accepted++;
      const t0 = performance.now();
      try {
        Y.applyUpdate(new Y.Doc(), bytes);
      } catch {
        // Semantically odd but structurally sound updates may still be refused by Yjs: bounded, not a hang.
      }
      worst = Math.max(worst, performance.now() - t0);
    }
    expect(accepted).toBeGreaterThan(0);
    expect(worst).toBeLessThan(250);
  });

  it('checks state vectors and awareness updates', () => {
    expect(checkStateVector(Y.encodeStateVector(richDoc())).ok).toBe(true);
    expect(checkStateVector(Uint8Array.from([5, 1])).ok).toBe(false);
    expect(parseAwarenessUpdate(Uint8Array.from([1, 7, 1, 2, 0x7b, 0x7d]))).toEqual([{ clientId: 7, clock: 1, state: {} }]);
    expect(parseAwarenessUpdate(Uint8Array.from([1, 7, 1, 2, 0x7b, 0x7b]))).toBeNull();
  });

  it('the #687 payload really hangs yjs V2 decoding (run in a worker, terminated after 300 ms)', async () => {
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const Y = require(${JSON.stringify(require.resolve('yjs'))});
      parentPort.postMessage('started');
      Y.encodeStateVectorFromUpdateV2(Uint8Array.from(workerData));
      parentPort.postMessage('finished');`;
    const worker = new Worker(code, { eval: true, workerData: [...POISON_687] });
    const messages: string[] = [];
    worker.on('message', (m: string) => messages.push(m));
    await new Promise<void>((resolve) => worker.once('message', () => resolve()));
    await new Promise((r) => setTimeout(r, 300));
    expect(messages).toEqual(['started']);
    await worker.terminate();
  });
});
