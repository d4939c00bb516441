// Scenario 2: 500 documents x 2 clients (1,000 sockets opened at once), then 1 update/s per client.
// Measures the time until all 1,000 providers have synced, then delivery latency.
import * as Y from 'yjs';
import { listenOverflows, SATURATION_THRESHOLD, UsageSampler } from '../lib/proc.ts';
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
    // The connect phase has its own CPU readings: opening 1,000 stock providers is heavy for the load generator
    // too, and a connect time measured while it was saturated is the client's, not the server's.
    const serverUsage = new UsageSampler(server.pid);
    const driverUsage = new UsageSampler(process.pid);
    const overflowsBefore = listenOverflows();
    serverUsage.start();
    driverUsage.start();
    const { groups, syncMs } = await connectAll(
      (d, slot) => server.connect(docs[d]!, slot, new Y.Doc()),
      docsCount,
      perDoc,
      120_000,
    );
    const connectServer = serverUsage.stop();
    const connectDriver = driverUsage.stop();
    const overflows = listenOverflows() - overflowsBefore;
    const connectSaturated = connectDriver.cpu > SATURATION_THRESHOLD;
    try {
      const workload = prepareWorkload(groups);
      const rate = docsCount * perDoc; // 1 update/s per client
      const r = await workload.run({ rate, durationMs: ctx.quick ? 1500 : 8000, drainMs: 5000, serverPid: server.pid });
      return {
        metrics: {
          connect_sync_ms: syncMs,
          connect_server_cpu: connectServer.cpu,
          connect_driver_cpu: connectDriver.cpu,
          ...(Number.isNaN(overflows) ? {} : { connect_listen_overflows: overflows }),
          p50_ms: r.latency.p50,
          p99_ms: r.latency.p99,
          missing: r.missing,
          ...(r.savedAck ? { saved_p99_ms: r.savedAck.p99, unsaved: r.unsaved ?? 0 } : {}),
          server_cpu: r.server.cpu,
          driver_cpu: r.driver.cpu,
        },
        saturated: r.saturated,
        ...(connectSaturated ? { saturatedMetrics: ['connect_sync_ms'] } : {}),
        notes: ctx.quick ? [`quick mode: ${docsCount} docs`] : [],
      };
    } finally {
      destroyAll(groups);
    }
  },
};
