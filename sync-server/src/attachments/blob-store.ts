// Attachment bodies, content-addressed by SHA-256: the same file uploaded twice is stored once. A small
// interface so a directory or object storage can replace the PostgreSQL default; every implementation runs
// the one contract suite in blob-store-contract.ts.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

export interface StoredBlob {
  /** Lowercase hex SHA-256 of the content. */
  sha256: string;
  size: number;
}

export interface BlobStore {
  /**
   * Consumes the stream, hashing and counting while it flows, and stores the content under its hash.
   * With `maxBytes`, rejects with BlobTooLargeError as soon as the stream passes it (nothing is stored).
   */
  put(stream: AsyncIterable<Uint8Array>, opts?: { maxBytes?: number }): Promise<StoredBlob>;
  /** The content as a stream, or null if no blob has that hash. */
  get(sha256: string): Promise<Readable | null>;
  has(sha256: string): Promise<boolean>;
}

export class BlobTooLargeError extends Error {
  override name = 'BlobTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`Content is larger than ${maxBytes} bytes`);
  }
}

export const isSha256Hex = (value: string) => /^[0-9a-f]{64}$/.test(value);

/**
 * Reads a stream into chunks while hashing and counting, enforcing `maxBytes` on the way (so an oversized
 * body is refused after maxBytes+1 bytes, not after all of it). Shared by the implementations that need
 * the whole content before writing it.
 */
export async function collect(stream: AsyncIterable<Uint8Array>, maxBytes = Number.POSITIVE_INFINITY) {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new BlobTooLargeError(maxBytes);
    hash.update(chunk);
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return { sha256: hash.digest('hex'), size, data: Buffer.concat(chunks, size) };
}
