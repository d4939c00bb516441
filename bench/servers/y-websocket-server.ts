// y-websocket-server 0.1.1 exactly as it ships: its own bin (src/server.js), in memory (no YPERSISTENCE),
// on a port chosen here because it prints the configured port rather than the bound one.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startPinned, freePort } from './child-process.ts';
import { inMemoryPeer } from './in-memory-peer.ts';
import type { BenchServer, LaunchOptions } from './types.ts';
import { connectYWebsocket } from './y-websocket-client.ts';

const require = createRequire(import.meta.url);

export async function launchYWebsocketServer(opts: LaunchOptions): Promise<BenchServer> {
  const pkgDir = dirname(require.resolve('@y/websocket-server/package.json'));
  const port = await freePort();
  const { proc } = await startPinned({
    core: opts.core,
    command: [process.execPath, join(pkgDir, 'src/server.js')],
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...opts.env },
    cwd: process.cwd(),
    ready: /running at/,
  });
  return inMemoryPeer('y-websocket-server', proc, port, connectYWebsocket);
}
