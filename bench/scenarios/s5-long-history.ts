// Scenario 5: a 2,000-task project with a 100,000-update history; time from opening a socket to synced.
// Ours, cold: the history is stored the way our server leaves it in steady state (it compacts when 500 rows
// follow the snapshot): one snapshot of the first 99,501 updates plus the last 499 rows in yjs_updates, the
// worst case just below the threshold. The first client pays auth, membership, load and sync step 2.
// Warm (every server): another client connects while the document is in memory. The peers keep documents
// in memory only, so they have no cold case; their document is pushed by a client first.
import * as Y from 'yjs';
import { MAP } from '../../shared/doc-model.ts';
import { cachedHistory, type History } from '../lib/history.ts';
import { sleep } from '../lib/schedule.ts';
import type { OursServer } from '../servers/ours.ts';
import type { BenchClient, BenchServer, DocHandle } from '../servers/types.ts';
import { ALL_SERVERS, type Scenario } from './types.ts';

/** Rows left after the snapshot: one below ours' default compaction threshold (SYNC_COMPACT_THRESHOLD=500). */
const TAIL_ROWS = 499;

interface Seed {
  history: History;
  snapshotState: Uint8Array;
  snapshotVector: Uint8Array;
  tail: Uint8Array[];
}

const seeds = new Map<string, Seed>();

function seedFor(quick: boolean): Seed {
  const key = quick ? 'quick' : 'full';
  let seed = seeds.get(key);
  if (!seed) {
    const history = quick ? cachedHistory(200, 5000) : cachedHistory(2000, 100_000);
    const cut = history.updates.length - TAIL_ROWS;
    const doc = new Y.Doc();
    doc.transact(() => {
      for (let i = 0; i < cut; i++) Y.applyUpdate(doc, history.updates[i]!);
    });
    seed = { history, snapshotState: Y.encodeStateAsUpdate(doc), snapshotVector: Y.encodeStateVector(doc), tail: history.updates.slice(cut) };
    seeds.set(key, seed);
  }
  return seed;
}

async function timedConnect(server: BenchServer, doc: DocHandle, slot: number, expectTasks: number): Promise<{ ms: number; client: BenchClient }> {
  const t0 = performance.now();
  const client = server.connect(doc, slot, new Y.Doc());
  await Promise.race([client.synced, sleep(30_000).then(() => Promise.reject(new Error('no sync within 30 s')))]);
  const ms = performance.now() - t0;
  const tasks = client.doc.getMap(MAP.tasks).size;
  if (tasks !== expectTasks) {
    client.destroy();
    throw new Error(`${server.name} synced ${tasks} of ${expectTasks} tasks`);
  }
  return { ms, client };
}

export const scenario5: Scenario = {
  id: 5,
  title: '2,000-task project with a 100,000-update history: connect to synced',
  servers: ALL_SERVERS,
  runs: (quick) => (quick ? 1 : 3),
  async runOnce(server, ctx) {
    const seed = seedFor(ctx.quick);
    const expect = seed.history.taskCount;
    const [doc] = await server.createDocs(1, 3);
    const clients: BenchClient[] = [];
    const metrics: Record<string, number> = {};
    try {
      if (server.name === 'ours') {
        const { db } = server as OursServer;
        await db.sql.begin(async (tx) => {
          const rows = seed.tail.map((u) => ({ project_id: doc!.name, update: Buffer.from(u) }));
          for (let i = 0; i < rows.length; i += 1000) await tx`INSERT INTO yjs_updates ${tx(rows.slice(i, i + 1000), 'project_id', 'update')}`;
          await tx`INSERT INTO yjs_snapshots (project_id, state, state_vector, last_update_id, update_count)
            VALUES (${doc!.name}, ${Buffer.from(seed.snapshotState)}, ${Buffer.from(seed.snapshotVector)}, 0, ${seed.history.updates.length - TAIL_ROWS})`;
        });
        const cold = await timedConnect(server, doc!, 0, expect);
        clients.push(cold.client);
        metrics.cold_connect_sync_ms = cold.ms;
      } else {
        // In-memory peers: a client pushes the whole document, a second one confirms the server holds it.
        const pusher = server.connect(doc!, 0, new Y.Doc());
        clients.push(pusher);
        await pusher.synced;
        Y.applyUpdate(pusher.doc, seed.history.finalState);
        const deadline = performance.now() + 30_000;
        for (;;) {
          try {
            const check = await timedConnect(server, doc!, 1, expect);
            clients.push(check.client);
            break;
          } catch (error) {
            if (performance.now() > deadline) throw error;
            await sleep(500);
          }
        }
      }
      await sleep(200);
      const warm = await timedConnect(server, doc!, 2, expect);
      clients.push(warm.client);
      metrics.warm_connect_sync_ms = warm.ms;
      metrics.doc_kb = seed.history.finalState.byteLength / 1024;
    } finally {
      for (const c of clients) c.destroy();
    }
    return {
      metrics,
      saturated: false,
      notes: ctx.quick ? [`quick mode: ${expect} tasks, ${seed.history.updates.length} updates`] : [],
    };
  },
};
