// Launcher by name, and a pre-flight check that ours can sync at all (it is built in parallel with this
// harness; until its /sync path works it is reported as not measured instead of timing out everywhere).
import * as Y from 'yjs';
import { launchHocuspocus } from './hocuspocus.ts';
import { launchOurs } from './ours.ts';
import type { BenchServer, LaunchOptions, ServerName } from './types.ts';
import { launchYWebsocketServer } from './y-websocket-server.ts';

export function launchServer(name: ServerName, opts: LaunchOptions): Promise<BenchServer> {
  switch (name) {
    case 'ours':
      return launchOurs(opts);
    case 'y-websocket-server':
      return launchYWebsocketServer(opts);
    case 'hocuspocus':
      return launchHocuspocus(opts);
  }
}

/** Undefined when two clients of ours connect, sync and see each other's edit; otherwise why not. */
export async function probeOurs(core: number): Promise<string | undefined> {
  let server: BenchServer | undefined;
  const clients: { destroy(): void }[] = [];
  try {
    server = await launchOurs({ core });
    const [doc] = await server.createDocs(1, 2);
    const a = server.connect(doc!, 0, new Y.Doc());
    const b = server.connect(doc!, 1, new Y.Doc());
    clients.push(a, b);
    const seen = new Promise<void>((resolve) => b.doc.getMap('probe').observe(() => resolve()));
    const ok = Promise.all([a.synced, b.synced]).then(async () => {
      a.doc.getMap('probe').set('x', 1);
      await seen;
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('two clients did not sync and relay within 10 s'), 10_000);
    });
    const result = await Promise.race([ok.then(() => undefined), timeout]);
    clearTimeout(timer);
    return result;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  } finally {
    for (const c of clients) c.destroy();
    await server?.stop().catch(() => {});
  }
}
