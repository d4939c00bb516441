// The BenchServer handle of a peer that keeps documents in memory by name: a document is just a fresh room
// name, so creating documents needs no server call. Used by the y-websocket-server and Hocuspocus launchers.
import type * as Y from 'yjs';
import type { RunningProcess } from './child-process.ts';
import type { BenchClient, BenchServer, DocHandle, ServerName } from './types.ts';

export function inMemoryPeer(
  name: ServerName,
  proc: RunningProcess,
  port: number,
  connect: (url: string, room: string, ydoc: Y.Doc) => BenchClient,
): BenchServer {
  let seq = 0;
  return {
    name,
    pid: proc.pid,
    port,
    readyMs: proc.readyMs,
    output: () => proc.output(),
    async createDocs(count) {
      const run = `${Date.now().toString(36)}-${seq++}`;
      return Array.from({ length: count }, (_, i): DocHandle => ({ name: `bench-${run}-${i}` }));
    },
    connect: (doc, _slot, ydoc) => connect(`ws://127.0.0.1:${port}`, doc.name, ydoc),
    stop: () => proc.stop(),
  };
}
