// Scenario 3: 10 documents x 5 clients, total write rate stepped up until a step fails (p99 > 50 ms or a
// lost delivery). Reports the highest passing rate and, for ours, the saved-ack p99 at that rate.
// A step where the load generator saturated its core ends the search: beyond it we would measure the driver.
import * as Y from 'yjs';
import { sleep } from '../lib/schedule.ts';
import { connectAll, destroyAll, prepareWorkload } from '../lib/workload.ts';
import { ALL_SERVERS, type Scenario } from './types.ts';

const P99_LIMIT_MS = 50;

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
        const r = await workload.run({ rate, durationMs: ctx.quick ? 1000 : 2500, drainMs: 3000, serverPid: server.pid });
        ctx.log(`    step ${rate}/s: p99 ${r.latency.p99.toFixed(1)} ms, missing ${r.missing}, server cpu ${r.server.cpu.toFixed(2)}, driver cpu ${r.driver.cpu.toFixed(2)}${r.savedAck ? `, saved p99 ${r.savedAck.p99.toFixed(1)} ms` : ''}`);
        if (r.saturated) {
          saturated = true;
          notes.push(`load generator saturated at ${rate}/s (driver cpu ${r.driver.cpu.toFixed(2)}): highest rate is a lower bound`);
          break;
        }
        if (r.latency.p99 > P99_LIMIT_MS || r.missing > 0) {
          notes.push(`failed at ${rate}/s: p99 ${r.latency.p99.toFixed(1)} ms, missing ${r.missing}`);
          break;
        }
        best = rate;
        bestSavedP99 = r.savedAck?.p99 ?? Number.NaN;
        serverCpuAtBest = r.server.cpu;
        await sleep(300);
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
