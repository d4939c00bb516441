// Forward-only numbered migrations (migrations/NNNN_name.sql), recorded in schema_migrations with a checksum.
// A session-level advisory lock serializes concurrent runners: two servers starting at once apply each file
// exactly once, and the second sees the first one's result.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql } from './database.ts';

/** The repository's migrations/, found upwards from this module: it runs from sync-server/src/db (tsx, tests)
 * and bundled from dist/server (scripts/server-build.mjs). */
export const MIGRATIONS_DIR = findMigrationsDir(dirname(fileURLToPath(import.meta.url)));
/** Arbitrary constant naming our advisory lock ("fb" + "migr"). */
const MIGRATION_LOCK_ID = 0x6662_6d69;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const migrations = files.map((file) => {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new Error(`migrations/${file}: name must look like 0001_description.sql`);
    const text = readFileSync(join(dir, file), 'utf8');
    return { version: Number(match[1]), name: file, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
  });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations/${m.name}: expected number ${String(i + 1).padStart(4, '0')} (no gaps, no duplicates)`);
  });
  return migrations;
}

/** Applies every pending migration; returns the names applied by this call. */
export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = readMigrations(dir);
  const conn = await sql.reserve();
  const applied: string[] = [];
  try {
    await conn`SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await conn`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      checksum   text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`;
    const rows = await conn<{ version: number; name: string; checksum: string }[]>`SELECT version, name, checksum FROM schema_migrations`;
    const done = new Map(rows.map((r) => [r.version, r]));
    const changed = (m: Migration) =>
      new Error(`migrations/${m.name} was changed after it was applied (checksum differs). Migrations are forward-only: add a new numbered file instead.`);
    for (const m of migrations) {
      const prior = done.get(m.version);
      if (prior) {
        if (prior.checksum !== m.checksum) throw changed(m);
        continue;
      }
      await conn.unsafe('BEGIN');
      let appliedByOther: { checksum: string } | undefined;
      try {
        // Embedded PGlite serves every connection from one session, where the advisory lock is re-entrant and
        // serializes nothing; it does run one transaction at a time, so re-checking here closes that gap.
        [appliedByOther] = await conn<{ checksum: string }[]>`SELECT checksum FROM schema_migrations WHERE version = ${m.version}`;
        if (!appliedByOther) {
          await conn.unsafe(m.sql);
          await conn`INSERT INTO schema_migrations (version, name, checksum) VALUES (${m.version}, ${m.name}, ${m.checksum})`;
        }
        await conn.unsafe('COMMIT');
      } catch (error) {
        await conn.unsafe('ROLLBACK').catch(() => {});
        throw new Error(`migration ${m.name} failed: ${(error as Error).message}`, { cause: error });
      }
      if (appliedByOther) {
        if (appliedByOther.checksum !== m.checksum) throw changed(m);
        continue;
      }
      applied.push(m.name);
    }
  } finally {
    await conn`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`.catch(() => {});
    conn.release();
  }
  return applied;
}

function findMigrationsDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return join(dir, 'migrations');
    if (dirname(dir) === dir) throw new Error(`no migrations/ directory beside a package.json above ${from}`);
  }
}
