// Scenario 1: one document, 50 clients, 20 updates/s in total (each client writes every 2.5 s, staggered).
// Measures delivery latency from a writer's transaction to each of the 49 receivers applying it.
import * as Y from 'yjs';
import { connectAll, destroyAll, prepareWorkload } from '../lib/workload.ts';
import { sleep } from '../lib/schedule.ts';
import { ALL_SERVERS, type Scenario } from './types.ts';

export const scenario1: Scenario = {
  id: 1,
  title: '1 doc x 50 clients, 20 updates/s: delivery latency',
  servers: ALL_SERVERS,
  runs: (quick) => (quick ? 1 : 3),
  async runOnce(server, ctx) {
    const clients = 50;
    const [doc] = await server.createDocs(1, clients);
    const { groups } = await connectAll((_, slot) => server.connect(doc!, slot, new Y.Doc()), 1, clients);
    try {
      const workload = prepareWorkload(groups);
      // Warm-up: JIT and first-message paths on both sides, not measured.
      await workload.run({ rate: 20, durationMs: ctx.quick ? 300 : 2000, drainMs: 2000, serverPid: server.pid });
      await sleep(200);
      // 30 s: 600 writes. A p99 over deliveries is set by the slowest 1% of writes, each delivered 49 times: over
      // 10 s (200 writes) that was the second slowest write, so one hiccup of the shared machine moved it.
      const r = await workload.run({ rate: 20, durationMs: ctx.quick ? 1500 : 30_000, drainMs: 5000, serverPid: server.pid });
      return {
        metrics: {
          p50_ms: r.latency.p50,
          p99_ms: r.latency.p99,
          max_ms: r.latency.max,
          deliveries: r.observed,
          missing: r.missing,
          ...(r.savedAck ? { saved_p99_ms: r.savedAck.p99, unsaved: r.unsaved ?? 0 } : {}),
          server_cpu: r.server.cpu,
          driver_cpu: r.driver.cpu,
        },
        saturated: r.saturated,
        notes: r.observed < r.expected ? [`${r.expected - r.observed} deliveries coalesced or lost`] : [],
      };
    } finally {
      destroyAll(groups);
    }
  },
};
