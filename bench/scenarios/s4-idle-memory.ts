// Scenario 4: 1,000 idle documents of ~10 kB each. RSS per loaded document = (RSS with every document
// loaded and its one client connected - RSS of the fresh server) / documents. Then every client leaves and
// we wait out the unload delay: RSS should come back to the baseline (+-10%). RSS is what the OS sees; V8
// may keep freed heap pages for a while, which is part of what a deployment pays for.
import * as Y from 'yjs';
import { quiesce, rssBytes } from '../lib/proc.ts';
import { sleep } from '../lib/schedule.ts';
import { connectAll, destroyAll } from '../lib/workload.ts';
import { ALL_SERVERS, type Scenario } from './types.ts';

/** How long to wait after the last client leaves: ours unloads 30 s after (SYNC_ROOM_IDLE_MS default). */
export const UNLOAD_WAIT_MS = Number(process.env.BENCH_UNLOAD_WAIT_MS ?? 32_000);

function fillDoc(doc: Y.Doc, seed: number) {
  const content = doc.getMap<string>('content');
  doc.transact(() => {
    for (let i = 0; i < 20; i++) content.set(`field-${i}`, `${seed}:${i}:`.padEnd(500, 'lorem ipsum dolor sit amet '));
  });
}

export const scenario4: Scenario = {
  id: 4,
  title: '1,000 idle docs of ~10 kB: RSS per loaded doc; RSS after all clients leave',
  servers: ALL_SERVERS,
  runs: (quick) => (quick ? 1 : 2),
  async runOnce(server, ctx) {
    const docsCount = ctx.quick ? 100 : 1000;
    const docs = await server.createDocs(docsCount, 1);
    await quiesce(server.pid, ctx.quick ? 2000 : 5000);
    const baseline = rssBytes(server.pid);
    const { groups } = await connectAll((d) => server.connect(docs[d]!, 0, new Y.Doc()), docsCount, 1, 120_000);
    groups.forEach((g, i) => fillDoc(g.clients[0]!.doc, i));
    await quiesce(server.pid, ctx.quick ? 3000 : 15_000);
    const loaded = rssBytes(server.pid);
    destroyAll(groups);
    const waitMs = ctx.quick ? 1500 : UNLOAD_WAIT_MS;
    const leftAt = performance.now();
    while (performance.now() - leftAt < waitMs) await sleep(1000);
    // "After the unload delay" means once the unloading it starts is over: a server that unloads a thousand
    // documents is still busy at the deadline (and on a loaded machine for longer), so wait for it to go idle.
    await quiesce(server.pid, ctx.quick ? 3000 : 15_000);
    const after = rssBytes(server.pid);
    const mb = (b: number) => b / (1024 * 1024);
    return {
      metrics: {
        baseline_mb: mb(baseline),
        loaded_mb: mb(loaded),
        per_doc_kb: (loaded - baseline) / docsCount / 1024,
        after_leave_mb: mb(after),
        after_vs_baseline: after / baseline,
      },
      saturated: false,
      notes: [
        `${ctx.quick ? `quick mode: ${docsCount} docs; ` : ''}RSS read ${((performance.now() - leftAt) / 1000).toFixed(1)} s after the last client left (the unload delay, then idle for 1 s)`,
      ],
    };
  },
};
