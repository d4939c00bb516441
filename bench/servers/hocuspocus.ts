// Launches hocuspocus-entry.mjs (Hocuspocus 4.7.0, no extensions) as a fresh pinned process.
import { fileURLToPath } from 'node:url';
import { startPinned } from './child-process.ts';
import { connectHocuspocus } from './hocuspocus-client.ts';
import { inMemoryPeer } from './in-memory-peer.ts';
import type { BenchServer, LaunchOptions } from './types.ts';

export async function launchHocuspocus(opts: LaunchOptions): Promise<BenchServer> {
  const entry = fileURLToPath(new URL('./hocuspocus-entry.mjs', import.meta.url));
  const { proc, match } = await startPinned({
    core: opts.core,
    command: [process.execPath, entry],
    env: { PATH: process.env.PATH, PORT: '0', ...opts.env },
    cwd: process.cwd(),
    ready: /hocuspocus listening on port (\d+)/,
  });
  const port = Number(match[1]);
  return inMemoryPeer('hocuspocus', proc, port, connectHocuspocus);
}
