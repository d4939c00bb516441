// One PostgreSQL access path for the whole server: a postgres.js pool. With DATABASE_URL it points at that
// server; without it, at an embedded PGlite exposed on a loopback socket by pglite-socket, so every query in
// the codebase runs unchanged on both (PGlite is PostgreSQL 18; production targets 15+).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import postgres from 'postgres';

export type Sql = postgres.Sql;

export interface Database {
  sql: Sql;
  kind: 'postgres' | 'embedded';
  /** A URL other processes can connect to while this one runs. */
  url: string;
  close(): Promise<void>;
}

/** Pool size for a real PostgreSQL server. */
const POOL_MAX = 10;
/**
 * PGlite is ONE PostgreSQL session behind however many sockets pglite-socket accepts: the unnamed prepared
 * statement and portal of the extended protocol are shared, so two pooled connections interleaving
 * Parse/Bind/Execute clobber each other ("portal \"\" does not exist"), and a transaction on one connection
 * sees the other's statements. One connection serializes everything, which PGlite does internally anyway.
 * Consequence for code: never await a query on the pool while holding a transaction (it would wait forever).
 */
const EMBEDDED_POOL_MAX = 1;

export function connectPostgres(url: string, max = POOL_MAX): Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    idle_timeout: 30,
    connect_timeout: 10,
    // Keep ids as strings; bigint columns (yjs_updates.id) come back as JS strings unless cast.
    types: {},
  });
}

export async function openDatabase(opts: { databaseUrl: string | undefined; dataDir: string }): Promise<Database> {
  if (opts.databaseUrl) {
    const sql = connectPostgres(opts.databaseUrl);
    return { sql, kind: 'postgres', url: opts.databaseUrl, close: () => sql.end({ timeout: 5 }) };
  }
  const dir = join(opts.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  return openEmbedded(dir);
}

/** Embedded PGlite. `dataDir` undefined = in memory (tests). */
export async function openEmbedded(dataDir: string | undefined): Promise<Database> {
  const db = await PGlite.create(dataDir);
  // pglite-socket accepts one connection unless told otherwise; keep its limit above the pool size.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: POOL_MAX * 2 + 4 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  const sql = connectPostgres(url, EMBEDDED_POOL_MAX);
  return {
    sql,
    kind: 'embedded',
    url,
    async close() {
      await sql.end({ timeout: 5 });
      await server.stop();
      await db.close();
    },
  };
}
