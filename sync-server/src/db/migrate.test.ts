import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { connectPostgres } from './database.ts';
import { migrate, MIGRATIONS_DIR, readMigrations } from './migrate.ts';

// The product's tables as the migrations create them (task_counts comes from 0004), plus the runner's own table.
const EXPECTED_TABLES = [
  'activity_log', 'attachment_blobs', 'attachments', 'auth_sessions', 'comments', 'idempotency_keys', 'project_members',
  'projects', 'schema_migrations', 'tags', 'task_counts', 'task_list_versions', 'task_tags', 'tasks', 'users', 'yjs_snapshots',
  'yjs_updates',
];

let db: TestDatabase;
const tempDirs: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await db.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** The next free migration number and the one after, as file name prefixes (0003_, 0004_ when two exist). */
const NEXT = String(readMigrations().length + 1).padStart(4, '0');
const AFTER_NEXT = String(readMigrations().length + 2).padStart(4, '0');

/** A copy of the real migrations directory plus extra files, for tests that must not touch migrations/. */
function migrationsWith(extra: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fb-migrations-'));
  tempDirs.push(dir);
  for (const file of readdirSync(MIGRATIONS_DIR)) copyFileSync(join(MIGRATIONS_DIR, file), join(dir, file));
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
  return dir;
}

async function tables(): Promise<string[]> {
  const rows = await db.sql<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`;
  return rows.map((r) => r.table_name);
}

describe('migrate', () => {
  // Must run first: it needs the fresh, empty database.
  it('applied twice at once from two pools leaves one consistent schema', async () => {
    const files = readMigrations().map((m) => m.name);
    const poolA = connectPostgres(db.url, 2);
    const poolB = connectPostgres(db.url, 2);
    try {
      const [a, b] = await Promise.all([migrate(poolA), migrate(poolB)]);
      // Each file was applied by exactly one of the two runners.
      expect([...a, ...b].sort()).toEqual(files);
    } finally {
      await Promise.all([poolA.end(), poolB.end()]);
    }
    const recorded = await db.sql<{ version: number; name: string }[]>`SELECT version, name FROM schema_migrations ORDER BY version`;
    expect(recorded.map((r) => r.name)).toEqual(files);
    expect(await tables()).toEqual(EXPECTED_TABLES);
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'projects_status_idx'`;
    expect(n).toBe(1);
  });

  it('does nothing on a database that is up to date', async () => {
    expect(await migrate(db.sql)).toEqual([]);
  });

  it('applies a new numbered file, then refuses to run once that file has changed', async () => {
    const dir = migrationsWith({ [`${NEXT}_test_extra.sql`]: 'CREATE TABLE test_extra (id integer PRIMARY KEY);' });
    expect(await migrate(db.sql, dir)).toEqual([`${NEXT}_test_extra.sql`]);
    writeFileSync(join(dir, `${NEXT}_test_extra.sql`), 'CREATE TABLE test_extra (id bigint PRIMARY KEY);');
    await expect(migrate(db.sql, dir)).rejects.toThrow(
      `migrations/${NEXT}_test_extra.sql was changed after it was applied (checksum differs). Migrations are forward-only: add a new numbered file instead.`,
    );
  });

  it('rolls a failing migration back completely and records nothing', async () => {
    const dir = migrationsWith({
      [`${NEXT}_test_extra.sql`]: 'CREATE TABLE test_extra (id integer PRIMARY KEY);',
      [`${AFTER_NEXT}_broken.sql`]: 'CREATE TABLE test_half (id integer);\nSELECT no_such_function();',
    });
    await expect(migrate(db.sql, dir)).rejects.toThrow(`migration ${AFTER_NEXT}_broken.sql failed: `);
    expect(await tables()).not.toContain('test_half');
    const [row] = await db.sql`SELECT count(*)::int AS n FROM schema_migrations WHERE version = ${Number(AFTER_NEXT)}`;
    expect(row?.n).toBe(0);
  });

  it('refuses badly named files and gaps in the numbering', () => {
    expect(() => readMigrations(migrationsWith({ [`${NEXT}-Bad Name.sql`]: '' }))).toThrow('name must look like 0001_description.sql');
    expect(() => readMigrations(migrationsWith({ [`${AFTER_NEXT}_gap.sql`]: '' }))).toThrow(`expected number ${NEXT} (no gaps, no duplicates)`);
  });
});
