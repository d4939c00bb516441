// Scenario 2: 500 documents x 2 clients (1,000 sockets opened at once), then 1 update/s per client.
// Measures the time until all 1,000 providers have synced, then delivery latency.
import * as Y from 'yjs';
import { connectAll, destroyAll, prepareWorkload } from '../lib/workload.ts';
import { ALL_SERVERS, type Scenario } from './types.ts';

export const scenario2: Scenario = {
  id: 2,
  title: '500 docs x 2 clients, 1 update/s each: connect+sync of 1,000 sockets; latency',
  servers: ALL_SERVERS,
  runs: (quick) => (quick ? 1 : 3),
  async runOnce(server, ctx) {
    const docsCount = ctx.quick ? 50 : 500;
    const perDoc = 2;
    const docs = await server.createDocs(docsCount, perDoc);
    const { groups, syncMs } = await connectAll(
      (d, slot) => server.connect(docs[d]!, slot, new Y.Doc()),
      docsCount,
      perDoc,
      120_000,
    );
    try {
      const workload = prepareWorkload(groups);
      const rate = docsCount * perDoc; // 1 update/s per client
      const r = await workload.run({ rate, durationMs: ctx.quick ? 1500 : 8000, drainMs: 5000, serverPid: server.pid });
      return {
        metrics: {
          connect_sync_ms: syncMs,
          p50_ms: r.latency.p50,
          p99_ms: r.latency.p99,
          missing: r.missing,
          ...(r.savedAck ? { saved_p99_ms: r.savedAck.p99, unsaved: r.unsaved ?? 0 } : {}),
          server_cpu: r.server.cpu,
          driver_cpu: r.driver.cpu,
        },
        saturated: r.saturated,
        notes: ctx.quick ? [`quick mode: ${docsCount} docs`] : [],
      };
    } finally {
      destroyAll(groups);
    }
  },
};
