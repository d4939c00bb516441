// Launches hocuspocus-entry.mjs (Hocuspocus 4.7.0, no extensions) as a fresh pinned process.
import { fileURLToPath } from 'node:url';
import { startPinned } from './child-process.ts';
import { connectHocuspocus } from './hocuspocus-client.ts';
import type { BenchServer, DocHandle, LaunchOptions } from './types.ts';

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
  let seq = 0;
  return {
    name: 'hocuspocus',
    pid: proc.pid,
    port,
    readyMs: proc.readyMs,
    output: () => proc.output(),
    async createDocs(count) {
      const run = `${Date.now().toString(36)}-${seq++}`;
      return Array.from({ length: count }, (_, i): DocHandle => ({ name: `bench-${run}-${i}` }));
    },
    connect: (doc, _slot, ydoc) => connectHocuspocus(`ws://127.0.0.1:${port}`, doc.name, ydoc),
    stop: () => proc.stop(),
  };
}
