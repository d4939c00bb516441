// The default BlobStore: attachment_blobs in PostgreSQL, keyed by SHA-256. The body is hashed and counted
// while it streams in (oversized bodies are refused at maxBytes+1), then written once; a blob that already
// exists is not written again (ON CONFLICT DO NOTHING also covers two identical uploads racing).
import { Readable } from 'node:stream';
import type { Sql } from '../db/database.ts';
import { collect, isSha256Hex, type BlobStore, type StoredBlob } from './blob-store.ts';

/** Downloads are handed to the HTTP layer in slices of this size so one response never holds a second copy. */
const READ_SLICE = 256 * 1024;

export class PgBlobStore implements BlobStore {
  constructor(private readonly sql: Sql) {}

  async put(stream: AsyncIterable<Uint8Array>, opts: { maxBytes?: number } = {}): Promise<StoredBlob> {
    const { sha256, size, data } = await collect(stream, opts.maxBytes);
    if (!(await this.has(sha256))) {
      await this.sql`
        INSERT INTO attachment_blobs (sha256, size, data) VALUES (${sha256}, ${size}, ${data})
        ON CONFLICT (sha256) DO NOTHING`;
    }
    return { sha256, size };
  }

  async get(sha256: string): Promise<Readable | null> {
    if (!isSha256Hex(sha256)) return null;
    const rows = await this.sql<{ data: Buffer }[]>`SELECT data FROM attachment_blobs WHERE sha256 = ${sha256}`;
    const data = rows[0]?.data;
    if (!data) return null;
    return Readable.from(slices(data));
  }

  async has(sha256: string): Promise<boolean> {
    if (!isSha256Hex(sha256)) return false;
    const rows = await this.sql`SELECT 1 FROM attachment_blobs WHERE sha256 = ${sha256}`;
    return rows.length > 0;
  }
}

function* slices(data: Buffer) {
  for (let offset = 0; offset < data.length; offset += READ_SLICE) yield data.subarray(offset, offset + READ_SLICE);
}
