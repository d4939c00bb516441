// What a scenario sees of a server under test: documents to use, a way to connect a client with that
// server's own client library, the server's pid for /proc sampling, and a clean stop.
import type * as Y from 'yjs';

export type ServerName = 'ours' | 'y-websocket-server' | 'hocuspocus';

export interface DocHandle {
  /** Room name (peers) or project id (ours). */
  name: string;
  /** Ours only: one access token per client slot of this document. */
  tokens?: string[];
}

export interface BenchClient {
  readonly doc: Y.Doc;
  /**
   * Resolves on the first full sync with the server, with `performance.now()` read inside the client library's
   * synced event: work the library goes on with after it in the same task (y-websocket answering the server's
   * step 1 when both frames arrived in one read) is not counted, as it would not be in a browser, where each
   * WebSocket message is a task of its own.
   */
  readonly synced: Promise<number>;
  /** Ours only (fieldboard.v1): called with each persisted state vector the server acknowledges. */
  onSaved?: (listener: (stateVector: Map<number, number>) => void) => void;
  /**
   * Closes the connection and destroys the document, so the load generator keeps nothing of the client. A
   * y-websocket provider's destroy alone left its awareness timer holding the document: every y-websocket client
   * a bench run destroyed stayed in the load generator's heap until the process ended (its document with every
   * edit it had seen, ~650 bytes each), and collecting that heap took the load generator's core in later windows
   * of every server.
   */
  destroy(): void;
}

export interface BenchServer {
  readonly name: ServerName;
  readonly pid: number;
  readonly port: number;
  /** Milliseconds from spawn to listening. */
  readonly readyMs: number;
  /** The tail of the server's own output (logs), for diagnosing a run. */
  output(): string;
  /** Creates `count` documents, each usable by `clientsPerDoc` clients at once. */
  createDocs(count: number, clientsPerDoc: number): Promise<DocHandle[]>;
  /** Connects client slot `slot` of `doc` with this server's client library. */
  connect(doc: DocHandle, slot: number, ydoc: Y.Doc): BenchClient;
  /** Stops the process (SIGTERM, then SIGKILL after a grace period) and drops what it created. */
  stop(): Promise<void>;
}

export interface LaunchOptions {
  /** CPU core to pin the server to (taskset). */
  core: number;
  /** Write a V8 CPU profile of the server into this directory (ours only; needs a graceful exit). */
  cpuProfileDir?: string;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
}
