// Prometheus metrics for the sync side, on a registry per server instance (tests run several servers in one
// process, so the global default registry would collide). Served by GET /metrics (see metricsHandler).
import type { Context } from 'hono';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  openConnections: Gauge;
  loadedRooms: Gauge;
  updatesReceived: Counter;
  updatesRelayed: Counter;
  persistBatchSize: Histogram;
  persistLatency: Histogram;
  persistFailures: Counter;
  savedAckLatency: Histogram;
  refusals: Counter<'code'>;
  heartbeatTimeouts: Counter;
  quarantinedUpdates: Counter;
  awarenessRefused: Counter;
  compactions: Counter;
  headSyncs: Counter;
  headSnapshotSyncs: Counter;
  steppedLoads: Counter<'outcome'>;
}

/**
 * How often the event-loop lag histogram samples (prom-client's default is 10 ms). Each sample is a timer that
 * wakes the process: at 10 ms an idle server used 1.2% of a core here, 0.7% of it for those 100 wakeups a
 * second (a VM's timer wakeups are dear). Stalls longer than this are still all recorded; shorter ones only
 * when a sample falls into them.
 */
const EVENT_LOOP_SAMPLE_MS = 50;

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'fieldboard_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  const registers = [registry];
  return {
    registry,
    openConnections: new Gauge({ name: 'fieldboard_sync_open_connections', help: 'Open, authenticated sync WebSocket connections', registers }),
    loadedRooms: new Gauge({ name: 'fieldboard_sync_loaded_rooms', help: 'Project documents loaded in memory', registers }),
    updatesReceived: new Counter({ name: 'fieldboard_sync_updates_received_total', help: 'Document updates received from clients (sync step 2 and update messages)', registers }),
    updatesRelayed: new Counter({ name: 'fieldboard_sync_updates_relayed_total', help: 'Document update frames sent to peers', registers }),
    persistBatchSize: new Histogram({
      name: 'fieldboard_sync_persist_batch_updates',
      help: 'Updates per group commit',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
      registers,
    }),
    persistLatency: new Histogram({
      name: 'fieldboard_sync_persist_seconds',
      help: 'Duration of one group commit (log rows, projections, activity)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    persistFailures: new Counter({ name: 'fieldboard_sync_persist_failures_total', help: 'Group commits that failed and were retried', registers }),
    savedAckLatency: new Histogram({
      name: 'fieldboard_sync_saved_ack_seconds',
      help: 'From receiving an update to sending the saved message that covers it',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    refusals: new Counter({ name: 'fieldboard_sync_refusals_total', help: 'Connections closed by the server, by close code name', labelNames: ['code'], registers }),
    heartbeatTimeouts: new Counter({ name: 'fieldboard_sync_heartbeat_timeouts_total', help: 'Connections dropped because their peer answered no ping for a whole interval (gone without closing)', registers }),
    quarantinedUpdates: new Counter({ name: 'fieldboard_sync_quarantined_updates_total', help: 'Stored log rows or snapshots skipped at load because they failed the structural check', registers }),
    awarenessRefused: new Counter({ name: 'fieldboard_sync_awareness_refused_total', help: 'Awareness entries dropped because they named another connection\'s client id', registers }),
    headSyncs: new Counter({ name: 'fieldboard_sync_head_syncs_total', help: 'Returning clients answered from the stored head while their document loaded', registers }),
    headSnapshotSyncs: new Counter({
      name: 'fieldboard_sync_head_snapshot_syncs_total',
      help: 'New devices answered from the stored snapshot and head while their document loaded',
      registers,
    }),
    steppedLoads: new Counter({
      name: 'fieldboard_sync_stepped_loads_total',
      help: 'Large snapshots loaded in steps (outcome "steps"), or applied whole after the steps failed their check ("whole")',
      labelNames: ['outcome'],
      registers,
    }),
    compactions: new Counter({ name: 'fieldboard_sync_compactions_total', help: 'Snapshots written (log folded into a new snapshot)', registers }),
  };
}

export function metricsHandler(metrics: Metrics) {
  return async (c: Context) => {
    c.header('Content-Type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  };
}
