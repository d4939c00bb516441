// Scenario 6 (ours only): REST filtered task pages on a project with 100,000 tasks, under concurrent load.
// The projection tables are filled by the REST helper's benchmark seeder (sync-server/src/tasks/seed.ts),
// straight in SQL. Eight concurrent keep-alive clients rotate through realistic filters (a column, urgent
// work across two columns sorted by priority, one assignee's third page, a word search) for a fixed time.
// The server remembers each page for the project's list version (task_list_versions), so with no writes every
// request after the first of each query is answered from memory: the target's figures. A second phase adds
// a task edit through PATCH /api/tasks/:id every 200 ms (each makes every remembered page of the project
// stale), reported beside them (edits_*).
import { Agent, request } from 'node:http';
import type { Sql } from '../../sync-server/src/db/database.ts';
import { seedTasks } from '../../sync-server/src/tasks/seed.ts';
import { SATURATION_THRESHOLD, UsageSampler } from '../lib/proc.ts';
import { sleep } from '../lib/schedule.ts';
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
    // The seeder writes the projection tables only; the edited task is made through the API (the document).
    const send = (method: string, path: string, payload: unknown) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const body = JSON.stringify(payload);
        const req = request(`http://127.0.0.1:${ours.port}${path}`, {
          method,
          agent,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    const created = await send('POST', `/api/projects/${doc!.name}/tasks`, { title: 'Edited during the read load' });
    if (created.status !== 201) throw new Error(`POST /api/projects/:id/tasks answered ${created.status}: ${created.body.slice(0, 300)}`);
    const editedId = (JSON.parse(created.body) as { data: { id: string } }).data.id;
    const patch = (title: string) => send('PATCH', `/api/tasks/${editedId}`, { title });
    const seconds = ctx.quick ? 1.5 : 10;
    /** Eight closed-loop readers for `seconds`; with `editEveryMs`, one edit at that period beside them. */
    const phase = async (editEveryMs: number | null) => {
      const latencies: number[] = [];
      let errors = 0;
      let edits = 0;
      const serverUsage = new UsageSampler(server.pid);
      const driverUsage = new UsageSampler(process.pid);
      serverUsage.start();
      driverUsage.start();
      const end = performance.now() + seconds * 1000;
      const editor = async () => {
        if (editEveryMs === null) return;
        for (let next = performance.now(); performance.now() < end; next += editEveryMs) {
          await sleep(Math.max(0, next - performance.now()));
          const res = await patch(`Edited during the read load ${++edits}`);
          if (res.status !== 200) throw new Error(`PATCH /api/tasks/:id answered ${res.status}: ${res.body.slice(0, 300)}`);
        }
      };
      await Promise.all([
        editor(),
        ...Array.from({ length: CONCURRENCY }, async (_, worker) => {
          for (let i = worker; performance.now() < end; i++) {
            const r = await get(queries[i % queries.length]!);
            if (r.ok) latencies.push(r.ms);
            else errors++;
          }
        }),
      ]);
      return { dist: distribution(latencies), rate: latencies.length / seconds, errors, edits, server: serverUsage.stop(), driver: driverUsage.stop() };
    };
    const reads = await phase(null);
    const mixed = await phase(200);
    agent.destroy();
    return {
      metrics: {
        p50_ms: reads.dist.p50,
        p99_ms: reads.dist.p99,
        requests_per_s: reads.rate,
        errors: reads.errors + mixed.errors,
        server_cpu: reads.server.cpu,
        driver_cpu: reads.driver.cpu,
        edits_p50_ms: mixed.dist.p50,
        edits_p99_ms: mixed.dist.p99,
        edits_requests_per_s: mixed.rate,
      },
      saturated: Math.max(reads.driver.cpu, mixed.driver.cpu) > SATURATION_THRESHOLD,
      notes: [`${count} tasks; PostgreSQL runs unpinned beside the server; edits_*: the same readers with ${mixed.edits} task edits (one per 200 ms)`],
    };
  },
};
