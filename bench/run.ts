// `npm run bench [-- --quick] [--only=1,3] [--servers=ours,hocuspocus] [--runs=N] [--profile]`
// Runs each scenario N times against each server, a fresh server process per run (pinned to core 0, this
// load generator pinned to core 1), interleaving servers so drift on the machine hits all of them alike: one
// server after another, rotating the order each run, or, for a scenario measured side by side
// (runSideBySide), all of them launched together with their windows alternating.
// Writes bench/results/<date>.json and .md (quick mode: <date>-quick.*, a smoke of the harness only).
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { machineQuiet } from './lib/proc.ts';
import { buildReport, renderMarkdown, type ScenarioOutcome } from './lib/report.ts';
import { enterBenchSession, SERVER_CORE } from './lib/session.ts';
import { scenarios } from './scenarios/index.ts';
import { launchServer, probeOurs } from './servers/launch.ts';
import { DEFAULT_ADMIN_URL } from './servers/ours.ts';
import type { RunRecord } from './scenarios/types.ts';
import type { BenchServer, ServerName } from './servers/types.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    servers: { type: 'string' },
    runs: { type: 'string' },
    profile: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results' },
  },
});

const log = (message: string) => console.log(message);
const quick = values.quick ?? false;
const only = values.only ? new Set(values.only.split(',').map(Number)) : undefined;
const serverFilter = values.servers ? new Set(values.servers.split(',') as ServerName[]) : undefined;
const startedAt = new Date();

const { pinned, reniced } = enterBenchSession(log);

const profileDir = values.profile ? join(values.out!, 'profiles', startedAt.toISOString().replace(/[:.]/g, '-')) : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });

const oursProblem = !serverFilter || serverFilter.has('ours') ? await probeOurs(SERVER_CORE) : undefined;
if (oursProblem) log(`ours is not measured in this run: ${oursProblem}`);

/** The machine counts as quiet below this share of all its cores busy. */
const QUIET_SHARE = 0.1;

/**
 * Before each scenario: PostgreSQL writes out what the previous scenario left in its buffers (CHECKPOINT), the
 * load generator collects its garbage, then the machine goes quiet (every core under 10% busy for a second; 30 s
 * at most, 5 s in quick mode). Scenario 5 seeds and drops three databases of a 100,000-update history, and its
 * clients hold 3.5 MB documents: scenario 6 measured right after it read p99 41-87 ms (four runs), 19-28 ms with
 * the checkpoint and the wait, 19-24 ms with the collection too (two runs each), 14-15 ms on its own (four runs).
 */
async function settle(withPostgres: boolean): Promise<void> {
  if (withPostgres) {
    const admin = postgres(DEFAULT_ADMIN_URL, { max: 1, onnotice: () => {} });
    try {
      await admin`CHECKPOINT`;
    } catch (error) {
      log(`  note: CHECKPOINT before the scenario failed: ${(error as Error).message}`);
    } finally {
      await admin.end({ timeout: 5 });
    }
  }
  // The load generator's own leftovers (scenario 5's clients held 3.5 MB documents) are collected now, not
  // in the middle of the next scenario's measurement.
  (globalThis as { gc?: () => void }).gc?.();
  const waitMs = quick ? 5_000 : 30_000;
  const busy = await machineQuiet(waitMs, QUIET_SHARE);
  if (busy >= QUIET_SHARE) log(`  note: the machine was still ${(busy * 100).toFixed(0)}% busy after ${waitMs / 1000} s of waiting for it to go quiet`);
}

const outcomes: ScenarioOutcome[] = [];
for (const scenario of scenarios) {
  if (only && !only.has(scenario.id)) continue;
  const servers = scenario.servers.filter((s) => !serverFilter || serverFilter.has(s));
  const runs = values.runs ? Number(values.runs) : scenario.runs(quick);
  const outcome: ScenarioOutcome = { id: scenario.id, title: scenario.title, servers: {} };
  for (const s of servers) outcome.servers[s] = { runs: [], errors: [] };
  log(`scenario ${scenario.id}: ${scenario.title} (${runs} run${runs > 1 ? 's' : ''})`);
  await settle(servers.includes('ours') && !oursProblem);
  const launch = async (name: ServerName, run: number): Promise<BenchServer> => {
    const server = await launchServer(name, {
      core: SERVER_CORE,
      ...(scenario.launchEnv?.[name] ? { env: scenario.launchEnv[name] } : {}),
      ...(profileDir && name === 'ours' ? { cpuProfileDir: join(profileDir, `s${scenario.id}-run${run + 1}`) } : {}),
    });
    if (profileDir && name === 'ours') log(`  ${name}: ready after ${server.readyMs.toFixed(0)} ms (profile-summary --skip=${Math.ceil(server.readyMs)})`);
    return server;
  };
  const record = (name: ServerName, run: number, r: RunRecord, loadBefore: number, seconds: number) => {
    r.notes.push(`load average (1 min) ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`);
    outcome.servers[name]!.runs.push(r);
    const shown = Object.entries(r.metrics).map(([k, v]) => `${k}=${Number.isFinite(v) ? +v.toFixed(2) : v}`).join(' ');
    log(`  ${name} run ${run + 1}: ${shown}${r.saturated ? ' [SATURATED]' : r.saturatedMetrics?.length ? ` [SATURATED: ${r.saturatedMetrics.join(', ')}]` : ''} (${seconds.toFixed(1)} s)`);
  };
  const failed = (name: ServerName, run: number, error: unknown) => {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    outcome.servers[name]!.errors.push(message);
    log(`  ${name} run ${run + 1}: ERROR ${message}`);
  };
  const stop = (name: ServerName, server: BenchServer | undefined) =>
    server?.stop().catch((error: unknown) => log(`  ${name}: stop failed: ${String(error)}`));
  for (let run = 0; run < runs; run++) {
    // Rotate the order each run so no server always goes first (warm page cache, PostgreSQL state, ...).
    const ordered = servers
      .map((_, i) => servers[(i + run) % servers.length]!)
      .filter((name) => {
        if (name !== 'ours' || !oursProblem) return true;
        if (run === 0) outcome.servers[name]!.errors.push(`not measured: ${oursProblem}`);
        return false;
      });
    if (scenario.runSideBySide) {
      const launched: BenchServer[] = [];
      try {
        for (const name of ordered) {
          try {
            launched.push(await launch(name, run));
          } catch (error) {
            failed(name, run, error);
          }
        }
        const t0 = performance.now();
        const loadBefore = loadavg()[0]!;
        try {
          const records = await scenario.runSideBySide(launched, { quick, log });
          for (const s of launched) {
            const r = records.get(s.name);
            if (r) record(s.name, run, r, loadBefore, (performance.now() - t0) / 1000);
            else failed(s.name, run, new Error('the scenario returned no record'));
          }
        } catch (error) {
          for (const s of launched) failed(s.name, run, error);
        }
      } finally {
        for (const s of launched) await stop(s.name, s);
      }
      continue;
    }
    for (const name of ordered) {
      const t0 = performance.now();
      let server: BenchServer | undefined;
      try {
        server = await launch(name, run);
        const loadBefore = loadavg()[0]!;
        record(name, run, await scenario.runOnce(server, { quick, log }), loadBefore, (performance.now() - t0) / 1000);
      } catch (error) {
        failed(name, run, error);
      } finally {
        await stop(name, server);
      }
    }
  }
  outcomes.push(outcome);
}

const report = buildReport(outcomes, { startedAt, quick, pinned, reniced });
mkdirSync(values.out!, { recursive: true });
const stamp = startedAt.toISOString().slice(0, 16).replace(/[T:]/g, '-') + (quick ? '-quick' : '');
const base = join(values.out!, stamp);
writeFileSync(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
const md = renderMarkdown(report);
writeFileSync(`${base}.md`, md);
log('\n' + md);
log(`wrote ${base}.json and ${base}.md`);

// The harness worked if every selected server produced at least one run in every scenario (or, for ours,
// was reported as not measured). Timings never fail the process: CI runs this as a smoke.
const broken = outcomes.flatMap((o) =>
  Object.entries(o.servers)
    .filter(([name, d]) => d.runs.length === 0 && !(name === 'ours' && oursProblem))
    .map(([name]) => `scenario ${o.id} / ${name}`),
);
if (broken.length) {
  console.error(`harness produced no result for: ${broken.join(', ')}`);
  process.exit(1);
}
process.exit(0);
