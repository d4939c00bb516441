// Scenario 6 (ours only): REST filtered task pages on a project with 100,000 tasks, under concurrent load.
// The projection tables are filled by the REST helper's benchmark seeder (sync-server/src/tasks/seed.ts),
// straight in SQL. Eight concurrent keep-alive clients rotate through realistic filters (a column, urgent
// work across two columns sorted by priority, one assignee's third page, a word search) for a fixed time.
import { Agent, request } from 'node:http';
import type { Sql } from '../../sync-server/src/db/database.ts';
import { seedTasks } from '../../sync-server/src/tasks/seed.ts';
import { SATURATION_THRESHOLD, UsageSampler } from '../lib/proc.ts';
import { distribution } from '../lib/stats.ts';
import type { OursServer } from '../servers/ours.ts';
import type { Scenario } from './types.ts';

const CONCURRENCY = 8;

export const scenario6: Scenario = {
  id: 6,
  title: 'REST: filtered task page, project with 100,000 tasks, 8 concurrent clients',
  servers: ['ours'],
  runs: (quick) => (quick ? 1 : 2),
  async runOnce(server, ctx) {
    const ours = server as OursServer;
    const count = ctx.quick ? 5000 : 100_000;
    const [doc] = await ours.createDocs(1, 4);
    const users = await ours.db.sql<{ user_id: string }[]>`SELECT user_id FROM project_members WHERE project_id = ${doc!.name}`;
    await seedTasks(ours.db.sql as unknown as Sql, doc!.name, count, { userIds: users.map((u) => u.user_id) });
    await ours.db.sql`ANALYZE tasks`;
    const base = `http://127.0.0.1:${ours.port}/api/projects/${doc!.name}/tasks`;
    const queries = [
      '?status=IN_PROGRESS&per_page=50',
      '?status=TODO,IN_REVIEW&priority=HIGH,URGENT&sort=priority&per_page=50',
      `?assignee_id=${users[1]!.user_id}&per_page=50&page=3`,
      '?search=deploy&per_page=20',
    ];
    const token = doc!.tokens![0]!;
    // node:http with one keep-alive socket per client, not fetch: undici's fetch cost the load generator
    // ~1.9 ms of CPU per request, as much as the server's own work per request, on the core PostgreSQL shares.
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const get = (q: string) =>
      new Promise<{ ms: number; ok: boolean; status: number }>((resolve, reject) => {
        const t0 = performance.now();
        const req = request(base + q, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            resolve({ ms: performance.now() - t0, ok: status >= 200 && status < 300, status });
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
    // Warm-up: plans cached, pool connections open.
    for (const q of queries) {
      const r = await get(q);
      if (!r.ok) throw new Error(`GET ${q} answered ${r.status}`);
    }
    const latencies: number[] = [];
    let errors = 0;
    const serverUsage = new UsageSampler(server.pid);
    const driverUsage = new UsageSampler(process.pid);
    serverUsage.start();
    driverUsage.start();
    const end = performance.now() + (ctx.quick ? 1500 : 10_000);
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        for (let i = worker; performance.now() < end; i++) {
          const r = await get(queries[i % queries.length]!);
          if (r.ok) latencies.push(r.ms);
          else errors++;
        }
      }),
    );
    const s = serverUsage.stop();
    const d = driverUsage.stop();
    agent.destroy();
    const dist = distribution(latencies);
    return {
      metrics: { p50_ms: dist.p50, p99_ms: dist.p99, requests_per_s: latencies.length / (ctx.quick ? 1.5 : 10), errors, server_cpu: s.cpu, driver_cpu: d.cpu },
      saturated: d.cpu > SATURATION_THRESHOLD,
      notes: [`${count} tasks; PostgreSQL runs unpinned beside the server`],
    };
  },
};
