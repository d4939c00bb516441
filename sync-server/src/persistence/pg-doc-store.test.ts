import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { createUser, testConfig } from '../test/fixtures.ts';
import { docStoreContract } from './doc-store-contract.ts';
import { PgDocStore } from './pg-doc-store.ts';

let db: TestDatabase;
let store: PgDocStore;
let ownerId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  store = new PgDocStore(db.sql);
  ownerId = (await createUser({ sql: db.sql, config: testConfig() })).id;
});
afterAll(() => db.close());

docStoreContract('PostgreSQL', {
  store: () => store,
  newProject: async () => {
    const [p] = await db.sql<{ id: string }[]>`INSERT INTO projects (name, created_by) VALUES ('contract', ${ownerId}) RETURNING id`;
    return p!.id;
  },
});
