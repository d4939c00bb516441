// Benchmark helper: fills a project's projection tables (tasks, tags, task_tags) with N varied tasks
// straight in SQL, for measuring REST reads on large projects (issue 7: 100,000 tasks). The project's Yjs
// document is NOT written: these rows are read-only fixtures; a REST write to one of them answers 404
// because the document does not know the task.
//
//   DATABASE_URL=postgres://... node --import tsx sync-server/src/tasks/seed.ts --project <uuid> --count 100000
//   (add --assignees uuid,uuid to spread assignee_id; they should be members for realistic filters)
import { parseArgs } from 'node:util';
import type { Sql } from '../db/database.ts';

export interface SeedOptions {
  /** Users to spread as assignee/reporter (round robin; every 5th task stays unassigned). */
  userIds?: string[];
  /** Tags to create and spread (every 3rd task gets one). Default 10. */
  tagCount?: number;
  /** Rows per INSERT statement. */
  batch?: number;
}

const WORDS = ['alpha', 'budget', 'client', 'deploy', 'design', 'invoice', 'launch', 'migration', 'review', 'search', 'server', 'testing'];

/** Inserts `count` tasks into the project; returns the created tag ids. Runs in batches so memory stays flat. */
export async function seedTasks(sql: Sql, projectId: string, count: number, opts: SeedOptions = {}): Promise<{ tagIds: string[] }> {
  const users = opts.userIds ?? [];
  const batch = opts.batch ?? 10_000;
  const tagCount = opts.tagCount ?? 10;
  const tags = await sql<{ id: string }[]>`
    INSERT INTO tags (id, project_id, name, color)
    SELECT gen_random_uuid(), ${projectId}, 'tag-' || g || '-' || substr(md5(random()::text), 1, 6), NULL
    FROM generate_series(1, ${tagCount}::int) g RETURNING id`;
  const tagIds = tags.map((t) => t.id);
  const [{ offset } = { offset: 0 }] = await sql<{ offset: number }[]>`SELECT count(*)::int AS offset FROM tasks WHERE project_id = ${projectId}`;

  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const first = offset + start;
    await sql.begin(async (tx) => {
      await tx`
        INSERT INTO tasks (id, project_id, title, description, status, priority, assignee_id, reporter_id, due_date,
                           estimated_hours, rank, created_at, updated_at, completed_at, deleted_at)
        SELECT gen_random_uuid(), ${projectId},
               'Task ' || i || ' ' || (${WORDS}::text[])[1 + i % ${WORDS.length}],
               'Seeded task about ' || (${WORDS}::text[])[1 + (i / 7) % ${WORDS.length}] || ' number ' || i,
               (ARRAY['TODO','IN_PROGRESS','IN_REVIEW','DONE','ARCHIVED'])[1 + i % 5],
               (ARRAY['LOW','MEDIUM','HIGH','URGENT'])[1 + (i / 5) % 4],
               CASE WHEN cardinality(${users}::uuid[]) = 0 OR i % 5 = 0 THEN NULL
                    ELSE (${users}::uuid[])[1 + i % greatest(cardinality(${users}::uuid[]), 1)] END,
               CASE WHEN cardinality(${users}::uuid[]) = 0 THEN NULL
                    ELSE (${users}::uuid[])[1 + (i / 3) % greatest(cardinality(${users}::uuid[]), 1)] END,
               CASE WHEN i % 4 = 0 THEN NULL ELSE DATE '2026-01-01' + (i % 365) END,
               CASE WHEN i % 3 = 0 THEN (i % 16) + 0.5 ELSE NULL END,
               -- Fixed-width keys in ASCII order: board order equals seeding order inside each column.
               'a' || lpad(i::text, 10, '0'),
               now() - make_interval(secs => ${count} - i),
               now() - make_interval(secs => (${count} - i) / 2),
               CASE WHEN i % 5 = 3 THEN now() ELSE NULL END,
               CASE WHEN i % 50 = 49 THEN now() ELSE NULL END
        FROM generate_series(${first}::int, ${first + n - 1}::int) i`;
      if (tagIds.length > 0) {
        await tx`
          INSERT INTO task_tags (project_id, task_id, tag_id)
          SELECT ${projectId}, t.id, (${tagIds}::uuid[])[1 + (abs(hashtext(t.id::text)) % ${tagIds.length})]
          FROM tasks t
          WHERE t.project_id = ${projectId} AND t.rank >= ${`a${String(first).padStart(10, '0')}`}
            AND t.rank <= ${`a${String(first + n - 1).padStart(10, '0')}`} AND abs(hashtext(t.id::text)) % 3 = 0
          ON CONFLICT DO NOTHING`;
      }
    });
  }
  // Fresh statistics and visibility map, as a long-running database would have: count(*) can then use
  // index-only scans.
  await sql`VACUUM (ANALYZE) tasks`;
  await sql`VACUUM (ANALYZE) task_tags`;
  return { tagIds };
}

async function main() {
  const { values } = parseArgs({ options: { project: { type: 'string' }, count: { type: 'string' }, assignees: { type: 'string' } } });
  const url = process.env.DATABASE_URL;
  if (!url || !values.project || !values.count || !/^\d+$/.test(values.count)) {
    console.error('usage: DATABASE_URL=postgres://... node --import tsx sync-server/src/tasks/seed.ts --project <uuid> --count <n> [--assignees uuid,uuid]');
    process.exit(2);
  }
  const { connectPostgres } = await import('../db/database.ts');
  const sql = connectPostgres(url);
  const started = performance.now();
  try {
    await seedTasks(sql, values.project, Number(values.count), { userIds: values.assignees?.split(',').filter(Boolean) });
    console.info(`seeded ${values.count} tasks in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
