// Each test file gets its own throwaway database: a fresh PostgreSQL database on DATABASE_URL's server
// (dropped afterwards), or an in-memory embedded PGlite when DATABASE_URL is unset.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { connectPostgres, openEmbedded, type Sql } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';

export interface TestDatabase {
  sql: Sql;
  /** A connection URL for child processes (a server under test). */
  url: string;
  close(): Promise<void>;
}

export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const shouldMigrate = opts.migrate ?? true;
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const db = await openEmbedded(undefined);
    if (shouldMigrate) await migrate(db.sql);
    return { sql: db.sql, url: db.url, close: db.close };
  }
  const name = `fb_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = connectPostgres(url.toString());
  if (shouldMigrate) await migrate(sql);
  return {
    sql,
    url: url.toString(),
    async close() {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    },
  };
}
