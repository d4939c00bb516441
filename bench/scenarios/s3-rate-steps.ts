// Scenario 3: 10 documents x 5 clients, total write rate stepped up until a step fails (median p99 of its
// windows > 50 ms, or a lost delivery). Reports the highest passing rate and, for ours, the saved-ack p99 at
// that rate (the median of that step's windows).
// A step where the load generator saturated its core ends the search: beyond it we would measure the driver.
import * as Y from 'yjs';
import { sleep } from '../lib/schedule.ts';
import { spread } from '../lib/stats.ts';
import { connectAll, destroyAll, prepareWorkload, type WorkloadResult } from '../lib/workload.ts';
import { ALL_SERVERS, type Scenario } from './types.ts';

const P99_LIMIT_MS = 50;
/**
 * Windows measured at each step (2.5 s each); the step is judged on their median p99. With one window, a single
 * stall of this shared two-core machine decided a run: in the same session, with the same code, ours failed
 * 700/s in one run (p99 73.5 ms) and passed 1,500/s in another. A lost delivery in any window fails the step (a
 * loss is never noise), and a step where the load generator saturated its core in most windows ends the search.
 */
const WINDOWS_PER_STEP = 3;

export const scenario3: Scenario = {
  id: 3,
  title: '10 docs x 5 clients, rate stepped up: highest rate with p99 <= 50 ms and no loss',
  servers: ALL_SERVERS,
  runs: (quick) => (quick ? 1 : 2),
  async runOnce(server, ctx) {
    const docsCount = 10;
    const perDoc = 5;
    const steps = ctx.quick ? [50, 100] : [200, 400, 700, 1000, 1500, 2000, 3000];
    const docs = await server.createDocs(docsCount, perDoc);
    const { groups } = await connectAll((d, slot) => server.connect(docs[d]!, slot, new Y.Doc()), docsCount, perDoc);
    const notes: string[] = [];
    let best = 0;
    let bestSavedP99 = Number.NaN;
    let saturated = false;
    let serverCpuAtBest = Number.NaN;
    try {
      const workload = prepareWorkload(groups);
      // Warm-up, not measured, the same for every server: 10 s at 400/s. A fresh process compiles its hot paths
      // through its first seconds under load (V8's optimizing compiler runs on worker threads, here on the
      // server's one pinned core). After the 1 s at 50/s this used to be, ours' server read 0.48-0.54 of its core
      // at every step from 200 to 700/s, a third of it in TurboFan (perf); after this warm-up, 0.18-0.19 at 200/s
      // and 0.28-0.38 at 400/s. The scenario asks for the rate a running server holds, not its first seconds.
      await workload.run({ rate: ctx.quick ? 50 : 400, durationMs: ctx.quick ? 300 : 10_000, drainMs: 2000, serverPid: server.pid });
      for (const rate of steps) {
        const windows: WorkloadResult[] = [];
        for (let i = 0; i < (ctx.quick ? 1 : WINDOWS_PER_STEP); i++) {
          const r = await workload.run({ rate, durationMs: ctx.quick ? 1000 : 2500, drainMs: 3000, serverPid: server.pid });
          ctx.log(`    step ${rate}/s window ${i + 1}: p99 ${r.latency.p99.toFixed(1)} ms, missing ${r.missing}, server cpu ${r.server.cpu.toFixed(2)}, driver cpu ${r.driver.cpu.toFixed(2)}${r.savedAck ? `, saved p99 ${r.savedAck.p99.toFixed(1)} ms` : ''}`);
          windows.push(r);
          await sleep(300);
        }
        const p99 = spread(windows.map((w) => w.latency.p99)).median;
        const missing = windows.reduce((n, w) => n + w.missing, 0);
        const saturatedWindows = windows.filter((w) => w.saturated);
        if (saturatedWindows.length * 2 > windows.length) {
          saturated = true;
          notes.push(`load generator saturated at ${rate}/s (driver cpu ${saturatedWindows.map((w) => w.driver.cpu.toFixed(2)).join(', ')}): highest rate is a lower bound`);
          break;
        }
        if (p99 > P99_LIMIT_MS || missing > 0) {
          notes.push(`failed at ${rate}/s: median p99 ${p99.toFixed(1)} ms (windows ${windows.map((w) => w.latency.p99.toFixed(1)).join(', ')}), missing ${missing}`);
          break;
        }
        best = rate;
        const saved = windows.flatMap((w) => (w.savedAck ? [w.savedAck.p99] : []));
        bestSavedP99 = spread(saved).median;
        serverCpuAtBest = spread(windows.map((w) => w.server.cpu)).median;
      }
      if (best === steps[steps.length - 1]) notes.push(`passed every step up to ${best}/s`);
    } finally {
      destroyAll(groups);
    }
    return {
      metrics: {
        max_rate: best,
        ...(server.name === 'ours' ? { saved_p99_ms_at_max: bestSavedP99 } : {}),
        server_cpu_at_max: serverCpuAtBest,
      },
      // Saturation is a property of a step, reported in notes; the rate found below it is still the server's.
      saturated: saturated && best === 0,
      notes,
    };
  },
};
