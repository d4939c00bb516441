// Scenario 3: 10 documents x 5 clients, total write rate stepped up until a step fails (median p99 of its
// windows > 50 ms, or a lost delivery). Reports the highest passing rate and, for ours, the saved-ack p99 at
// that rate (the median of that step's windows).
// A step where the load generator saturated its core ends the search: beyond it we would measure the driver.
// The servers of a run are measured side by side: each has its own documents and clients, and at every step
// their windows alternate (ours, yws, hp, yws, hp, ours, ...), so a stall of this shared machine lands in one
// window of one server, and a slow minute in every server's windows alike. Each window runs on documents of its
// own, connected just before it (the warm-up's are dropped), so no window inherits another's history.
import { sleep } from '../lib/schedule.ts';
import { spread } from '../lib/stats.ts';
import { connectWorkload, destroyAll, inTurn, renewWorkload, type DocClients, type Workload, type WorkloadResult } from '../lib/workload.ts';
import type { BenchServer, ServerName } from '../servers/types.ts';
import { ALL_SERVERS, type RunRecord, type Scenario, type ScenarioContext } from './types.ts';

const P99_LIMIT_MS = 50;
/**
 * Windows measured at each step (2.5 s each); the step is judged on their median p99. With one window, a single
 * stall of this shared two-core machine decided a run: in the same session, with the same code, ours failed
 * 700/s in one run (p99 73.5 ms) and passed 1,500/s in another. A lost delivery in any window fails the step (a
 * loss is never noise), and a step where the load generator saturated its core in most windows ends the search.
 */
const WINDOWS_PER_STEP = 3;
/** The scenario's layout (bench/fixed-rate.ts measures the same one at fixed rates). */
export const DOCS = 10;
export const CLIENTS_PER_DOC = 5;
/**
 * Warm-up, not measured, the same for every server: 10 s at 400/s. A fresh process compiles its hot paths
 * through its first seconds under load (V8's optimizing compiler runs on worker threads, here on the server's
 * one pinned core). After the 1 s at 50/s this used to be, ours' server read 0.48-0.54 of its core at every step
 * from 200 to 700/s, a third of it in TurboFan (perf); after this warm-up, 0.18-0.19 at 200/s and 0.28-0.38 at
 * 400/s. The scenario asks for the rate a running server holds, not its first seconds.
 */
export const WARM_UP = { rate: 400, durationMs: 10_000, drainMs: 2000 };

/** One server's search up the steps. */
interface Ladder {
  server: BenchServer;
  groups: DocClients[];
  workload: Workload;
  best: number;
  bestSavedP99: number;
  serverCpuAtBest: number;
  /** Stopped at a failed or saturated step. */
  done: boolean;
  saturated: boolean;
  notes: string[];
}

async function measureSideBySide(servers: BenchServer[], ctx: ScenarioContext): Promise<Map<ServerName, RunRecord>> {
  const steps = ctx.quick ? [50, 100] : [200, 400, 700, 1000, 1500, 2000, 3000];
  const ladders: Ladder[] = [];
  try {
    for (const server of servers) {
      ladders.push({ server, ...(await connectWorkload(server, DOCS, CLIENTS_PER_DOC)), best: 0, bestSavedP99: Number.NaN, serverCpuAtBest: Number.NaN, done: false, saturated: false, notes: [] });
    }
    const warmUp = ctx.quick ? { ...WARM_UP, rate: 50, durationMs: 300 } : WARM_UP;
    for (const l of ladders) await l.workload.run({ ...warmUp, serverPid: l.server.pid });
    for (const rate of steps) {
      const active = ladders.filter((l) => !l.done);
      if (active.length === 0) break;
      const windows = new Map<Ladder, WorkloadResult[]>(active.map((l) => [l, []]));
      for (let i = 0; i < (ctx.quick ? 1 : WINDOWS_PER_STEP); i++) {
        // Each round starts with a different server, so none always follows the same one.
        for (const l of inTurn(active, i)) {
          // Fresh documents for every window: on the same ones, the load generator's heap grew with every edit
          // and its collections landed in the later steps' windows of every server (renewWorkload).
          Object.assign(l, await renewWorkload(l.server, l, DOCS, CLIENTS_PER_DOC));
          const r = await l.workload.run({ rate, durationMs: ctx.quick ? 1000 : 2500, drainMs: 3000, serverPid: l.server.pid });
          ctx.log(`    ${l.server.name} step ${rate}/s window ${i + 1}: p99 ${r.latency.p99.toFixed(1)} ms, missing ${r.missing}, server cpu ${r.server.cpu.toFixed(2)}, driver cpu ${r.driver.cpu.toFixed(2)}${r.savedAck ? `, saved p99 ${r.savedAck.p99.toFixed(1)} ms` : ''}`);
          windows.get(l)!.push(r);
          await sleep(300);
        }
      }
      for (const l of active) judge(l, rate, windows.get(l)!, rate === steps[steps.length - 1]);
    }
  } finally {
    for (const l of ladders) destroyAll(l.groups);
  }
  return new Map(
    ladders.map((l) => [
      l.server.name,
      {
        metrics: {
          max_rate: l.best,
          ...(l.server.name === 'ours' ? { saved_p99_ms_at_max: l.bestSavedP99 } : {}),
          server_cpu_at_max: l.serverCpuAtBest,
        },
        // Saturation is a property of a step, reported in notes; the rate found below it is still the server's.
        saturated: l.saturated && l.best === 0,
        notes: l.notes,
      },
    ]),
  );
}

/** A step's verdict from its windows (exported for its test). */
export type StepVerdict =
  | { kind: 'saturated'; driverCpu: number[] }
  | { kind: 'failed'; p99: number; missing: number }
  | { kind: 'passed'; p99: number; savedP99: number; serverCpu: number };

export function judgeStep(windows: Pick<WorkloadResult, 'latency' | 'missing' | 'saturated' | 'savedAck' | 'server' | 'driver'>[]): StepVerdict {
  const saturated = windows.filter((w) => w.saturated);
  if (saturated.length * 2 > windows.length) return { kind: 'saturated', driverCpu: saturated.map((w) => w.driver.cpu) };
  const p99 = spread(windows.map((w) => w.latency.p99)).median;
  const missing = windows.reduce((n, w) => n + w.missing, 0);
  if (p99 > P99_LIMIT_MS || missing > 0) return { kind: 'failed', p99, missing };
  return {
    kind: 'passed',
    p99,
    savedP99: spread(windows.flatMap((w) => (w.savedAck ? [w.savedAck.p99] : []))).median,
    serverCpu: spread(windows.map((w) => w.server.cpu)).median,
  };
}

function judge(l: Ladder, rate: number, windows: WorkloadResult[], last: boolean): void {
  const v = judgeStep(windows);
  if (v.kind === 'saturated') {
    l.done = l.saturated = true;
    l.notes.push(`load generator saturated at ${rate}/s (driver cpu ${v.driverCpu.map((c) => c.toFixed(2)).join(', ')}): highest rate is a lower bound`);
  } else if (v.kind === 'failed') {
    l.done = true;
    l.notes.push(`failed at ${rate}/s: median p99 ${v.p99.toFixed(1)} ms (windows ${windows.map((w) => w.latency.p99.toFixed(1)).join(', ')}), missing ${v.missing}`);
  } else {
    l.best = rate;
    l.bestSavedP99 = v.savedP99;
    l.serverCpuAtBest = v.serverCpu;
    if (last) l.notes.push(`passed every step up to ${rate}/s`);
  }
}

export const scenario3: Scenario = {
  id: 3,
  title: '10 docs x 5 clients, rate stepped up: highest rate with p99 <= 50 ms and no loss (servers side by side)',
  servers: ALL_SERVERS,
  runs: (quick) => (quick ? 1 : 2),
  runSideBySide: measureSideBySide,
};
