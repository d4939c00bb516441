// One contract suite for every BlobStore implementation (run by blob-store.test.ts against each).
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { BlobTooLargeError, type BlobStore } from './blob-store.ts';

async function readAll(stream: AsyncIterable<Uint8Array>) {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Splits `data` into many small chunks, as a network stream would deliver it. */
function chunked(data: Buffer, size = 1000) {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return Readable.from(parts);
}

export interface ContractSubject {
  store: BlobStore;
  /** How many distinct blobs the backing storage holds (to check that duplicates are stored once). */
  countBlobs(): Promise<number>;
}

export function blobStoreContract(make: () => Promise<ContractSubject> | ContractSubject) {
  it('stores content under its SHA-256 and gives it back byte for byte', async () => {
    const { store } = await make();
    const data = randomBytes(300_000);
    const stored = await store.put(chunked(data));
    expect(stored).toEqual({ sha256: sha(data), size: data.length });
    expect(await store.has(stored.sha256)).toBe(true);
    const back = await store.get(stored.sha256);
    expect(back).not.toBeNull();
    expect((await readAll(back!)).equals(data)).toBe(true);
  });

  it('stores the same content once and answers both puts with the same address', async () => {
    const { store } = await make();
    const data = randomBytes(5000);
    const a = await store.put(chunked(data, 7));
    const b = await store.put(chunked(data, 4096));
    expect(a).toEqual(b);
  });

  it('stores empty content', async () => {
    const { store } = await make();
    const stored = await store.put(Readable.from([]));
    expect(stored).toEqual({ sha256: sha(Buffer.alloc(0)), size: 0 });
    expect((await readAll((await store.get(stored.sha256))!)).length).toBe(0);
  });

  it('refuses content over maxBytes while reading, and stores nothing', async () => {
    const { store } = await make();
    const data = randomBytes(10_001);
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < data.length; i += 1000) {
        pulled += Math.min(1000, data.length - i);
        yield data.subarray(i, i + 1000);
      }
      // An endless tail: a store that read to the end before checking would never return.
      for (;;) {
        pulled += 1000;
        yield Buffer.alloc(1000);
        if (pulled > 1_000_000) throw new Error('the store kept reading past the limit');
      }
    }
    await expect(store.put(source(), { maxBytes: 10_000 })).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(pulled).toBeLessThanOrEqual(11_000);
    expect(await store.has(sha(data))).toBe(false);
  });

  it('accepts content of exactly maxBytes', async () => {
    const { store } = await make();
    const data = randomBytes(10_000);
    expect((await store.put(chunked(data), { maxBytes: 10_000 })).size).toBe(10_000);
  });

  it('answers unknown and malformed hashes with null / false', async () => {
    const { store } = await make();
    expect(await store.get('0'.repeat(64))).toBeNull();
    expect(await store.has('0'.repeat(64))).toBe(false);
    expect(await store.get("'; DROP TABLE attachment_blobs; --")).toBeNull();
    expect(await store.has('not-a-hash')).toBe(false);
  });
}
