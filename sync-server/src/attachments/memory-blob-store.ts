// In-memory BlobStore for tests (and the contract suite's reference implementation).
import { Readable } from 'node:stream';
import { collect, isSha256Hex, type BlobStore, type StoredBlob } from './blob-store.ts';

export class MemoryBlobStore implements BlobStore {
  readonly #blobs = new Map<string, Buffer>();
  get size() {
    return this.#blobs.size;
  }

  async put(stream: AsyncIterable<Uint8Array>, opts: { maxBytes?: number } = {}): Promise<StoredBlob> {
    const { sha256, size, data } = await collect(stream, opts.maxBytes);
    if (!this.#blobs.has(sha256)) {
      this.#blobs.set(sha256, data);
    }
    return { sha256, size };
  }

  async get(sha256: string): Promise<Readable | null> {
    const data = isSha256Hex(sha256) ? this.#blobs.get(sha256) : undefined;
    return data ? Readable.from([data]) : null;
  }

  async has(sha256: string): Promise<boolean> {
    return isSha256Hex(sha256) && this.#blobs.has(sha256);
  }
}
