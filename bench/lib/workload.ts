// The write/receive workload shared by the sync scenarios. Every client of a document both writes and
// receives. A write is a real board edit through the shared doc model (the writer's own task gets a new
// title, so ours projects a task row and logs a field change, as in production) and, in the same
// transaction, stamps performance.now() into Y.Map 'bench' (key = writer); receivers live in this process,
// so delivery latency needs no clock sync. Every server relays the same bytes.
// Ours also acknowledges durability (message 100): the writer records when the persisted state vector
// first covers each of its updates.
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { createTask, initDoc, updateTask } from '../../shared/doc-model.ts';
import type { BenchClient, BenchServer } from '../servers/types.ts';
import { rssBytes, SATURATION_THRESHOLD, UsageSampler, type UsageWindow } from './proc.ts';
import { runSchedule, shuffled, sleep } from './schedule.ts';
import { distribution, type Distribution } from './stats.ts';

export interface DocClients {
  clients: BenchClient[];
}

interface Writer {
  group: number;
  slot: number;
  client: BenchClient;
  key: string;
  taskId: string;
  /** Updates not yet covered by a saved vector: [clock before the write, stamp]. */
  pending: [number, number][];
}

export interface WorkloadResult {
  writes: number;
  /** Deliveries expected (writes x other clients in the document) and observed individually. */
  expected: number;
  observed: number;
  /** Writes whose final value some receiver still lacked after the drain: lost deliveries. */
  missing: number;
  latency: Distribution;
  savedAck?: Distribution;
  /** Writes never acknowledged as saved after the drain (ours only). */
  unsaved?: number;
  schedulerLatenessP99: number;
  server: UsageWindow;
  driver: UsageWindow;
  saturated: boolean;
  /** The raw delivery and saved-ack latencies (ms), when asked for (`keepSamples`), to pool windows. */
  samples?: { latency: number[]; savedAck: number[] };
}

const STAMPS = 'bench';

/** Marks a document's clients as writers/receivers. Call once per set of connected, synced clients. */
export function prepareWorkload(groups: DocClients[]) {
  const writers: Writer[] = [];
  const latencies: number[] = [];
  const savedLatencies: number[] = [];
  let measuring = false;
  let observed = 0;
  groups.forEach((group, g) => {
    group.clients.forEach((client, slot) => {
      const taskId = randomUUID();
      const writer: Writer = { group: g, slot, client, key: `w${g}.${slot}`, taskId, pending: [] };
      writers.push(writer);
      // Each writer edits its own task: concurrent writers never conflict, so every write is visible.
      if (slot === 0) initDoc(client.doc);
      createTask(client.doc, { id: taskId, title: `task of writer ${writer.key}` });
      client.doc.getMap<[number, number]>(STAMPS).observe((event) => {
        if (event.transaction.local) return;
        const now = performance.now();
        for (const key of event.keysChanged) {
          const value = event.target.get(key);
          if (!measuring || !Array.isArray(value)) continue;
          latencies.push(now - value[1]);
          observed++;
        }
      });
      client.onSaved?.((sv) => {
        const covered = sv.get(client.doc.clientID) ?? 0;
        const now = performance.now();
        while (writer.pending.length && writer.pending[0]![0] < covered) {
          const [, ts] = writer.pending.shift()!;
          if (measuring) savedLatencies.push(now - ts);
        }
      });
    });
  });

  const write = (w: Writer, seq: number) => {
    const doc = w.client.doc;
    const clock = Y.getState(doc.store, doc.clientID);
    const ts = performance.now();
    doc.transact(() => {
      updateTask(doc, w.taskId, { title: `edit ${seq} by ${w.key}` });
      doc.getMap<[number, number]>(STAMPS).set(w.key, [seq, ts]);
    });
    if (w.client.onSaved) w.pending.push([clock, ts]);
  };

  return {
    writers,
    /** Runs `rate` writes/s for `durationMs`, then waits up to `drainMs` for deliveries and acks. */
    async run(opts: { rate: number; durationMs: number; drainMs: number; serverPid: number; keepSamples?: boolean }): Promise<WorkloadResult> {
      latencies.length = 0;
      savedLatencies.length = 0;
      observed = 0;
      for (const w of writers) w.pending.length = 0;
      const order = shuffled(writers, 7);
      const lastSeq = new Map<Writer, number>();
      const serverUsage = new UsageSampler(opts.serverPid);
      const driverUsage = new UsageSampler(process.pid);
      serverUsage.start();
      driverUsage.start();
      measuring = true;
      const schedule = await runSchedule({
        writers: order.length,
        rate: opts.rate,
        durationMs: opts.durationMs,
        fire: (i, seq) => {
          const w = order[i]!;
          lastSeq.set(w, seq);
          write(w, seq);
        },
      });
      const server = serverUsage.stop();
      const driver = driverUsage.stop();
      const expected = [...lastSeq.entries()].reduce(
        (sum, [w, seq]) => sum + seq * (groups[w.group]!.clients.length - 1),
        0,
      );
      // Drain: wait until every receiver holds every writer's last write (and every write is saved).
      const missingNow = () => {
        let missing = 0;
        for (const [w, seq] of lastSeq) {
          for (const other of groups[w.group]!.clients) {
            if (other === w.client) continue;
            const value = other.doc.getMap<[number, number]>(STAMPS).get(w.key);
            if (!value || value[0] < seq) missing++;
          }
        }
        return missing;
      };
      const unsavedNow = () => writers.reduce((n, w) => n + w.pending.length, 0);
      const deadline = performance.now() + opts.drainMs;
      while (performance.now() < deadline && (missingNow() > 0 || unsavedNow() > 0)) await sleep(50);
      measuring = false;
      const hasSaved = writers.some((w) => w.client.onSaved);
      return {
        writes: schedule.fired,
        expected,
        observed,
        missing: missingNow(),
        latency: distribution(latencies),
        ...(hasSaved ? { savedAck: distribution(savedLatencies), unsaved: unsavedNow() } : {}),
        schedulerLatenessP99: distribution(schedule.lateness).p99,
        server,
        driver,
        saturated: driver.cpu > SATURATION_THRESHOLD,
        ...(opts.keepSamples ? { samples: { latency: latencies.slice(), savedAck: savedLatencies.slice() } } : {}),
      };
    },
  };
}

/** Connects every client of every document, resolving with the time until the last one reported synced. */
export async function connectAll(
  connect: (doc: number, slot: number) => BenchClient,
  docs: number,
  clientsPerDoc: number,
  timeoutMs = 60_000,
): Promise<{ groups: DocClients[]; syncMs: number }> {
  const start = performance.now();
  const groups: DocClients[] = [];
  for (let d = 0; d < docs; d++) {
    groups.push({ clients: Array.from({ length: clientsPerDoc }, (_, s) => connect(d, s)) });
  }
  const all = Promise.all(groups.flatMap((g) => g.clients.map((c) => c.synced)));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`clients did not all sync within ${timeoutMs} ms`)), timeoutMs);
  });
  let syncedAt: number[];
  try {
    syncedAt = await Promise.race([all, timeout]);
  } catch (error) {
    for (const g of groups) for (const c of g.clients) c.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { groups, syncMs: Math.max(...syncedAt) - start };
}

export type Workload = ReturnType<typeof prepareWorkload>;

/** `docs` new documents of `server`, their clients connected and synced, and a workload over them. */
export async function connectWorkload(server: BenchServer, docs: number, clientsPerDoc: number): Promise<{ groups: DocClients[]; workload: Workload }> {
  const ids = await server.createDocs(docs, clientsPerDoc);
  const { groups } = await connectAll((d, slot) => server.connect(ids[d]!, slot, new Y.Doc()), docs, clientsPerDoc);
  return { groups, workload: prepareWorkload(groups) };
}

/**
 * Pause after a fresh set of documents synced, before the window starts. Ours loads each new room and writes its
 * first commit then, and after 100 rooms loaded or unloaded its idle collector (sync-server/src/rooms/idle-gc.ts)
 * runs a full collection of 80-140 ms once the process was quiet for 250 ms: with 500 ms here it ran into the
 * first second of the next window, twice in one scenario 3 ladder (p99 107 and 203 ms in those windows). A window
 * measures a server under load, not the end of the connect burst before it.
 */
const FRESH_SETTLE_MS = 1500;

/**
 * Replaces `current`'s documents and clients with new ones (the old clients destroyed), for a measured window
 * that starts where every other window starts. Every edit leaves a struct in each replica of its document
 * (a Y.Map keeps the values it overwrote, as deleted items), and the load generator holds every replica: at
 * 2,500/s over scenario 3's 50 clients that is ~8 MB more live heap a second. On the same documents from window
 * to window, its heap passed 250 MB by a 7th window of 5 s, its incremental marking took up to 400 ms of its
 * main thread per cycle, and those windows read p99 86-194 ms for y-websocket-server, against 3-17 ms with fresh
 * documents per window (bench/README.md, seventeenth session).
 */
export async function renewWorkload(server: BenchServer, current: { groups: DocClients[] }, docs: number, clientsPerDoc: number): Promise<{ groups: DocClients[]; workload: Workload }> {
  destroyAll(current.groups);
  const fresh = await connectWorkload(server, docs, clientsPerDoc);
  await sleep(FRESH_SETTLE_MS);
  return fresh;
}

/** The order of round `round` when servers take turns: each round starts one further along. */
export function inTurn<T>(items: readonly T[], round: number): T[] {
  return items.map((_, k) => items[(k + round) % items.length]!);
}

export function destroyAll(groups: DocClients[]): void {
  for (const g of groups) for (const c of g.clients) c.destroy();
}

export { rssBytes };
