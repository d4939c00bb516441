// Scenario 1: one document, 50 clients, 20 updates/s in total (each client writes every 2.5 s, staggered).
// Measures delivery latency from a writer's transaction to each of the 49 receivers applying it.
// The servers of a run are measured side by side: each has its own document and 50 clients, and the 30 s of
// writes are six 5 s windows per server, alternating between them (each round starting with a different
// server); each server's p50/p99 are taken over all of its windows' deliveries together.
import { SATURATION_THRESHOLD } from '../lib/proc.ts';
import { sleep } from '../lib/schedule.ts';
import { distribution } from '../lib/stats.ts';
import { connectWorkload, destroyAll, inTurn, type DocClients, type Workload, type WorkloadResult } from '../lib/workload.ts';
import type { BenchServer, ServerName } from '../servers/types.ts';
import { ALL_SERVERS, type RunRecord, type Scenario, type ScenarioContext } from './types.ts';

const CLIENTS = 50;
const RATE = 20;
/**
 * 6 x 5 s: 600 writes per server. A p99 over deliveries is set by the slowest 1% of writes, each delivered 49
 * times: over 10 s (200 writes) that was the second slowest write, so one hiccup of the shared machine moved it.
 */
const WINDOWS = 6;
const WINDOW_MS = 5000;

async function measureSideBySide(servers: BenchServer[], ctx: ScenarioContext): Promise<Map<ServerName, RunRecord>> {
  const setups: { server: BenchServer; groups: DocClients[]; workload: Workload; windows: WorkloadResult[] }[] = [];
  try {
    for (const server of servers) setups.push({ server, ...(await connectWorkload(server, 1, CLIENTS)), windows: [] });
    // Warm-up: JIT and first-message paths on both sides, not measured.
    for (const s of setups) await s.workload.run({ rate: RATE, durationMs: ctx.quick ? 300 : 2000, drainMs: 2000, serverPid: s.server.pid });
    const windows = ctx.quick ? 1 : WINDOWS;
    for (let i = 0; i < windows; i++) {
      for (const s of inTurn(setups, i)) {
        await sleep(200);
        s.windows.push(await s.workload.run({ rate: RATE, durationMs: ctx.quick ? 1500 : WINDOW_MS, drainMs: 5000, serverPid: s.server.pid, keepSamples: true }));
      }
    }
  } finally {
    for (const s of setups) destroyAll(s.groups);
  }
  return new Map(setups.map((s) => [s.server.name, pooled(s.windows)]));
}

/** One record from a server's windows: latencies pooled, CPU averaged over the windows (equal lengths). */
function pooled(windows: WorkloadResult[]): RunRecord {
  const sum = (f: (w: WorkloadResult) => number) => windows.reduce((n, w) => n + f(w), 0);
  const latency = distribution(windows.flatMap((w) => w.samples!.latency));
  const saved = windows.some((w) => w.savedAck) ? distribution(windows.flatMap((w) => w.samples!.savedAck)) : undefined;
  const driverCpu = sum((w) => w.driver.cpu) / windows.length;
  const expected = sum((w) => w.expected);
  const observed = sum((w) => w.observed);
  return {
    metrics: {
      p50_ms: latency.p50,
      p99_ms: latency.p99,
      max_ms: latency.max,
      deliveries: observed,
      missing: sum((w) => w.missing),
      ...(saved ? { saved_p99_ms: saved.p99, unsaved: sum((w) => w.unsaved ?? 0) } : {}),
      server_cpu: sum((w) => w.server.cpu) / windows.length,
      driver_cpu: driverCpu,
    },
    saturated: driverCpu > SATURATION_THRESHOLD,
    notes: observed < expected ? [`${expected - observed} deliveries coalesced or lost`] : [],
  };
}

export const scenario1: Scenario = {
  id: 1,
  title: '1 doc x 50 clients, 20 updates/s: delivery latency (servers side by side)',
  servers: ALL_SERVERS,
  runs: (quick) => (quick ? 1 : 3),
  runSideBySide: measureSideBySide,
};
