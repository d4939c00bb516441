import { afterAll, beforeAll, describe } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { blobStoreContract } from './blob-store-contract.ts';
import { MemoryBlobStore } from './memory-blob-store.ts';
import { PgBlobStore } from './pg-blob-store.ts';

describe('MemoryBlobStore', () => {
  blobStoreContract(() => {
    const store = new MemoryBlobStore();
    return { store, countBlobs: async () => store.size };
  });
});

describe('PgBlobStore (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());
  blobStoreContract(() => ({
    store: new PgBlobStore(db.sql),
    countBlobs: async () => Number((await db.sql<{ n: string }[]>`SELECT count(*) AS n FROM attachment_blobs`)[0]!.n),
  }));
});
