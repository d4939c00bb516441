import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, initDoc } from '../../../shared/doc-model.ts';
import { projectDoc } from '../../../shared/projection.ts';
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

describe('PostgreSQL store: sizes past one statement', () => {
  it('appends a batch of 25,000 updates with a full projection of 5,000 tasks (over 65,535 parameters each)', async () => {
    const [p] = await db.sql<{ id: string }[]>`INSERT INTO projects (name, created_by) VALUES ('big', ${ownerId}) RETURNING id`;
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    initDoc(doc);
    for (let i = 0; updates.length < 25_000; i++) {
      if (i < 5000) createTask(doc, { id: randomUUID(), title: `task ${i}` });
      else doc.getText('filler').insert(0, 'x');
    }
    const rows = projectDoc(doc);
    expect(rows.tasks).toHaveLength(5000);
    const result = await store.append({
      projectId: p!.id,
      updates: updates.map((update) => ({ update, userId: ownerId })),
      effects: { changes: [], activity: [], fullResync: rows },
    });
    expect(result.effectsFailed).toBe(false);
    const loaded = await store.load(p!.id);
    expect(loaded.updates).toHaveLength(updates.length);
    expect(loaded.updates.at(-1)!.id).toBe(result.lastId);
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM tasks WHERE project_id = ${p!.id}`;
    expect(n).toBe(5000);
  }, 120_000);
});
