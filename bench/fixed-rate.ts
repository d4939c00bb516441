// `node --import tsx bench/fixed-rate.ts [--rates=1000,2000] [--windows=3] [--seconds=5] [--docs=10] [--clients=5]
//   [--server=ours|y-websocket-server|hocuspocus]`
//
// Scenario 3's layout (documents x clients, title edits) against one server at fixed rates, without the step
// search: what one update costs, window by window, each window on fresh documents as in scenario 3. Per window:
// delivery p50/p99 and saved-ack p99, commit statements per update (pg_stat_database's xact_commit of the run's database: every transaction in it,
// autovacuum's too), CPU per update of the server and of PostgreSQL (from /proc, over the window and its drain,
// so the last statements' work is counted; the server's whole process, so at low rates its background work
// dominates; PostgreSQL's is every postgres process on this machine, so run it on an otherwise idle database
// server), how long the server's and the load generator's main threads waited for a CPU while runnable (the
// run queue, /proc/<pid>/schedstat: what the other processes on their cores cost them), the server's write
// calls and the load generator's read calls per update (/proc/<pid>/io: how many frames travelled together; the
// load generator's count includes its own /proc reads, which matter only at tiny rates), and the load generator's
// share of its core. Servers run as in the bench: ours the shipped bundle on a fresh database; each pinned to
// core 0, this process on core 1 at the bench's priority. A peer has no database: its statement and PostgreSQL
// columns are empty.
//
// Scenario 3's rate target rests on these costs (bench/README.md); this is a tool for that question, not a
// target. CI runs it at tiny sizes.
import { parseArgs } from 'node:util';
import { cpuSeconds, cpuSecondsOfAll, ioCalls, runQueueWaitMs } from './lib/proc.ts';
import { enterBenchSession, SERVER_CORE } from './lib/session.ts';
import { sleep } from './lib/schedule.ts';
import { connectWorkload, destroyAll, renewWorkload } from './lib/workload.ts';
import { CLIENTS_PER_DOC, DOCS as SCENARIO_DOCS, WARM_UP } from './scenarios/s3-rate-steps.ts';
import { ALL_SERVERS } from './scenarios/types.ts';
import { launchServer } from './servers/launch.ts';
import type { OursServer } from './servers/ours.ts';

function usage(message: string): never {
  console.error(`fixed-rate: ${message}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      rates: { type: 'string', default: '1000,2000' },
      windows: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '5' },
      docs: { type: 'string', default: String(SCENARIO_DOCS) },
      clients: { type: 'string', default: String(CLIENTS_PER_DOC) },
      server: { type: 'string', default: 'ours' },
    },
  }));
} catch (error) {
  usage((error as Error).message);
}
const positive = (text: string, name: string): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) usage(`--${name} must be a positive number, got ${text}`);
  return n;
};
const RATES = values.rates.split(',').map((r) => positive(r, 'rates'));
const WINDOWS = Math.ceil(positive(values.windows, 'windows'));
const WINDOW_MS = positive(values.seconds, 'seconds') * 1000;
const DOCS = Math.ceil(positive(values.docs, 'docs'));
const CLIENTS = Math.ceil(positive(values.clients, 'clients'));
const SERVER = ALL_SERVERS.find((name) => name === values.server) ?? usage(`--server must be one of ${ALL_SERVERS.join(', ')}, got ${values.server}`);

const log = (message: string) => console.log(message);
enterBenchSession(log);
const server = await launchServer(SERVER, { core: SERVER_CORE });
/** Ours' database: the commit statements come from pg_stat_database, PostgreSQL's CPU from /proc. */
const db = SERVER === 'ours' ? (server as OursServer).db : null;
const commits = async (): Promise<number> => {
  if (!db) return Number.NaN;
  const name = new URL(db.url).pathname.slice(1);
  return Number((await db.sql<{ n: string }[]>`SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = ${name}`)[0]!.n);
};
const postgresCpu = () => (db ? cpuSecondsOfAll('postgres') : Number.NaN);
const us = (seconds: number, updates: number) => (Number.isNaN(seconds) ? '' : ((seconds * 1e6) / updates).toFixed(0));
try {
  let current = await connectWorkload(server, DOCS, CLIENTS);
  try {
    log(`${SERVER}, ${DOCS} docs x ${CLIENTS} clients; warm-up as scenario 3's: ${WARM_UP.durationMs / 1000} s at ${WARM_UP.rate}/s`);
    await current.workload.run({ ...WARM_UP, serverPid: server.pid });
    log('| rate | p50 ms | p99 ms | saved p99 ms | statements per update | server us per update | PostgreSQL us per update | server write calls per update | load generator read calls per update | server waited for a CPU, ms | load generator waited, ms | load generator cpu |');
    log('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const rate of RATES) {
      for (let i = 0; i < WINDOWS; i++) {
        // Fresh documents per window, as in scenario 3 (renewWorkload).
        current = await renewWorkload(server, current, DOCS, CLIENTS);
        const [commits0, server0, pg0] = [await commits(), cpuSeconds(server.pid), postgresCpu()];
        const [serverWait0, driverWait0] = [runQueueWaitMs(server.pid), runQueueWaitMs(process.pid)];
        const [serverIo0, driverIo0] = [ioCalls(server.pid), ioCalls(process.pid)];
        const r = await current.workload.run({ rate, durationMs: WINDOW_MS, drainMs: 3000, serverPid: server.pid });
        // Before PostgreSQL's CPU, whose /proc scan would count as this process's reads.
        const [serverIo, driverIo] = [ioCalls(server.pid), ioCalls(process.pid)];
        const [server1, pg1] = [cpuSeconds(server.pid), postgresCpu()];
        const [serverWait, driverWait] = [runQueueWaitMs(server.pid) - serverWait0, runQueueWaitMs(process.pid) - driverWait0];
        // PostgreSQL 15's backends publish their counts when idle, at most once a second: wait for the last ones.
        if (db) await sleep(1100);
        const statements = (await commits()) - commits0;
        const n = r.writes;
        const cells = [
          `${rate}/s`,
          r.latency.p50.toFixed(1),
          r.latency.p99.toFixed(1),
          r.savedAck?.p99.toFixed(1) ?? '',
          Number.isNaN(statements) ? '' : (statements / n).toFixed(3),
          us(server1 - server0, n),
          us(pg1 - pg0, n),
          ((serverIo.writes - serverIo0.writes) / n).toFixed(2),
          ((driverIo.reads - driverIo0.reads) / n).toFixed(2),
          serverWait.toFixed(0),
          driverWait.toFixed(0),
          `${r.driver.cpu.toFixed(2)}${r.saturated ? ' (saturated)' : ''}`,
        ];
        log(`| ${cells.join(' | ')} |`);
        if (r.missing > 0 || (r.unsaved ?? 0) > 0) log(`  ${r.missing} deliveries missing, ${r.unsaved ?? 0} writes unsaved after the drain`);
      }
    }
  } finally {
    destroyAll(current.groups);
  }
} finally {
  await server.stop();
}
// Like run.ts: without it the process did not exit after the stop (something the clients leave keeps it alive).
process.exit(0);
