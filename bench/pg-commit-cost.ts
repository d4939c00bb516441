// `DATABASE_URL=postgres://... node --import tsx bench/pg-commit-cost.ts [--projects=10] [--edits=6] [--rounds=200] [--reps=5]
//    [--drop-indexes=name,name]`
//
// What one title edit costs PostgreSQL in the sync server's group commit, part by part. Each round is one
// commit statement (sync-server/src/persistence/commit-statement.ts, as the paced group commit sends it)
// holding `edits` title edits in each of `projects` projects: per edit a log row (a 60-byte update), the
// task's projection row and an activity row. Three workloads, each on a fresh database with the migrations
// as shipped: the log rows alone, log + task rows, log + task rows + activity rows; the differences are what
// each part costs. Per edit, median [min-max] over `reps` repetitions of `rounds` statements:
// - CPU of the connection's PostgreSQL backend (from /proc: PostgreSQL must run on this machine), which
//   parses, plans and executes the statement, runs the triggers and flushes the WAL at commit;
// - WAL bytes written;
// - wall time on one connection, one statement at a time (the server's paced commit has one in flight).
// It also reports the share of task row updates PostgreSQL made in place (HOT, no new index entries).
// `--drop-indexes` drops those indexes after the migrations: what a schema without them would cost.
//
// Scenario 3's saved acknowledgements wait for these statements; bench/README.md has the readings and what
// they mean. This is a tool for that question, not a target: no peer has a database to compare with.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { ProjectionDelta, TaskRow } from '../shared/projection.ts';
import type { Sql } from '../sync-server/src/db/database.ts';
import { commitInOneStatement, type CommitRows } from '../sync-server/src/persistence/commit-statement.ts';
import { seedTasks } from '../sync-server/src/tasks/seed.ts';
import { createTestDatabase } from '../sync-server/src/test/db.ts';
import { cpuSeconds } from './lib/proc.ts';
import { spread, type Spread } from './lib/stats.ts';

function usage(message: string): never {
  console.error(`pg-commit-cost: ${message}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      projects: { type: 'string', default: '10' },
      edits: { type: 'string', default: '6' },
      rounds: { type: 'string', default: '200' },
      reps: { type: 'string', default: '5' },
      'drop-indexes': { type: 'string', default: '' },
    },
  }));
} catch (error) {
  usage((error as Error).message);
}
const positive = (name: 'projects' | 'edits' | 'rounds' | 'reps'): number => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) usage(`--${name} must be a positive integer, got ${values[name]}`);
  return n;
};
const PROJECTS = positive('projects');
const EDITS = positive('edits');
const ROUNDS = positive('rounds');
const REPS = positive('reps');
/** Tasks per project: at least one per edit of a statement (each edit is a different task). */
const TASKS = Math.max(200, EDITS);
const DROP = values['drop-indexes'].split(',').filter(Boolean);
for (const name of DROP) if (!/^[a-z_][a-z0-9_]*$/.test(name)) usage(`--drop-indexes: not an index name: ${name}`);

type Workload = 'log' | 'log + tasks' | 'log + tasks + activity';
const WORKLOADS: Workload[] = ['log', 'log + tasks', 'log + tasks + activity'];

interface Reading {
  workload: Workload;
  cpuUs: Spread;
  walBytes: Spread;
  wallUs: Spread;
  hotShare: number | null;
  /** The least backend CPU one repetition used, in seconds (/proc counts in 10 ms ticks). */
  minCpuSeconds: number;
}

const none = { upsert: [], remove: [] };

/** A projection row of each of the first `limit` tasks of the project, as the projection writer receives it. */
async function taskRows(sql: Sql, projectId: string, limit: number): Promise<TaskRow[]> {
  const rows = await sql<Record<string, unknown>[]>`
    SELECT id, title, description, status, priority, assignee_id, reporter_id, to_char(due_date, 'YYYY-MM-DD') AS due_date,
      estimated_hours, actual_hours, rank, checklist, created_at, updated_at, completed_at, deleted_at
    FROM tasks WHERE project_id = ${projectId} ORDER BY id LIMIT ${limit}`;
  const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);
  return rows.map((r) => ({ ...r, created_at: iso(r.created_at), updated_at: iso(r.updated_at), completed_at: iso(r.completed_at), deleted_at: iso(r.deleted_at) }) as unknown as TaskRow);
}

async function measure(workload: Workload): Promise<Reading> {
  const db = await createTestDatabase();
  try {
    const sql = db.sql;
    for (const name of DROP) await sql.unsafe(`DROP INDEX ${name}`);
    const [user] = await sql<{ id: string }[]>`
      INSERT INTO users (email, password_hash, full_name) VALUES (${`cost-${randomUUID()}@example.com`}, '!', 'Cost') RETURNING id`;
    const userId = user!.id;
    const projects = new Map<string, TaskRow[]>();
    for (let i = 0; i < PROJECTS; i++) {
      const id = randomUUID();
      await sql`INSERT INTO projects (id, name, created_by) VALUES (${id}, ${`Cost ${i}`}, ${userId})`;
      await seedTasks(sql, id, TASKS, { userIds: [userId], tagCount: 0 });
      projects.set(id, await taskRows(sql, id, EDITS));
    }
    let seq = 0;
    const update = new Uint8Array(60).fill(7);
    const round = (conn: Sql) => {
      const batches: CommitRows[] = [...projects].map(([projectId, rows]) => {
        // Milliseconds, as the document holds them: after the first round a row's other columns are written
        // back unchanged (the seeder's microsecond timestamps would otherwise change once).
        const edited = rows.map((r) => ({ ...r, title: `edit ${++seq}`, updated_at: new Date().toISOString() }));
        const change: ProjectionDelta = { tasks: { upsert: edited, remove: [] }, comments: none, tags: none, attachments: none, taskTags: { set: [] } };
        return {
          projectId,
          updates: edited.map(() => ({ update, userId })),
          changes: workload === 'log' ? [] : [change],
          activity: workload !== 'log + tasks + activity' ? [] : edited.map((r) => ({
            userId, action: 'task.updated', entityType: 'task', entityId: r.id, taskId: r.id, changes: { title: [`edit ${seq - 1}`, r.title] },
          })),
        };
      });
      return commitInOneStatement(conn, batches);
    };
    const conn = await sql.reserve();
    try {
      const [{ pid }] = (await conn<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`) as unknown as [{ pid: number }];
      if (!Number.isFinite(cpuSeconds(pid))) throw new Error(`PostgreSQL backend ${pid} is not a process of this machine (/proc): run PostgreSQL here`);
      const asSql = conn as unknown as Sql;
      // The table's update counters as another session sees them, once this backend has flushed its own: it
      // flushes pending statistics when idle, at most once a second unless asked to flush at the next chance.
      const taskUpdates = async () => {
        await conn`SELECT pg_stat_force_next_flush()`;
        await conn`SELECT 1`;
        const [row] = await sql<{ n: string; hot: string }[]>`SELECT n_tup_upd AS n, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relname = 'tasks'`;
        return { updated: Number(row!.n), hot: Number(row!.hot) };
      };
      for (let i = 0; i < 50; i++) await round(asSql); // warm: plans, caches, the first write of each row
      const before = await taskUpdates();
      const cpu: number[] = [], wal: number[] = [], wall: number[] = [];
      let minCpuSeconds = Number.POSITIVE_INFINITY;
      const perEdit = ROUNDS * PROJECTS * EDITS;
      for (let rep = 0; rep < REPS; rep++) {
        const [{ lsn }] = (await conn<{ lsn: string }[]>`SELECT pg_current_wal_lsn()::text AS lsn`) as unknown as [{ lsn: string }];
        const cpu0 = cpuSeconds(pid);
        const t0 = performance.now();
        for (let i = 0; i < ROUNDS; i++) await round(asSql);
        wall.push(((performance.now() - t0) * 1000) / perEdit);
        const used = cpuSeconds(pid) - cpu0;
        minCpuSeconds = Math.min(minCpuSeconds, used);
        cpu.push((used * 1e6) / perEdit);
        const [{ bytes }] = (await conn<{ bytes: number }[]>`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), ${lsn}::pg_lsn)::float8 AS bytes`) as unknown as [{ bytes: number }];
        wal.push(bytes / perEdit);
      }
      const after = await taskUpdates();
      const updated = after.updated - before.updated;
      const expected = workload === 'log' ? 0 : REPS * perEdit;
      if (updated !== expected) console.warn(`${workload}: ${updated} task updates counted, ${expected} expected (statistics not flushed?)`);
      return {
        workload,
        cpuUs: spread(cpu),
        walBytes: spread(wal),
        wallUs: spread(wall),
        hotShare: updated > 0 ? (after.hot - before.hot) / updated : null,
        minCpuSeconds,
      };
    } finally {
      conn.release();
    }
  } finally {
    await db.close();
  }
}

const fmt = (s: Spread, digits = 0) => `${s.median.toFixed(digits)} [${s.min.toFixed(digits)}-${s.max.toFixed(digits)}]`;

if (!process.env.DATABASE_URL) usage('DATABASE_URL must name a PostgreSQL server on this machine (its backend CPU is read from /proc)');
console.log(`${PROJECTS} projects x ${EDITS} title edits per commit statement, ${ROUNDS} statements x ${REPS} repetitions per workload`);
console.log(DROP.length ? `indexes dropped after the migrations: ${DROP.join(', ')}\n` : 'schema as shipped\n');
console.log('| workload | backend CPU per edit (us) | WAL per edit (bytes) | wall per edit (us) | task updates in place |');
console.log('|---|---|---|---|---|');
let coarse = false;
for (const workload of WORKLOADS) {
  const r = await measure(workload);
  coarse ||= r.minCpuSeconds < 0.5;
  const hot = r.hotShare === null ? 'n/a' : `${(r.hotShare * 100).toFixed(0)}%`;
  console.log(`| ${r.workload} | ${fmt(r.cpuUs)} | ${fmt(r.walBytes)} | ${fmt(r.wallUs)} | ${hot} |`);
}
if (coarse) console.log('\nA repetition used under 0.5 s of backend CPU: /proc counts 10 ms ticks, so the CPU column is coarse. Use more --rounds.');
