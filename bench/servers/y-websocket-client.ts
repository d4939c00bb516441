// A stock y-websocket WebsocketProvider as a bench client (used for ours and for y-websocket-server).
// Node 20 has no global WebSocket (ws polyfill), and BroadcastChannel would sync same-process clients
// without the server, so it is disabled.
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { BenchClient } from './types.ts';

/** Message type 100 of fieldboard.v1: [varUint 100][varUint8Array persisted state vector]. */
const MESSAGE_SAVED = 100;

export function connectYWebsocket(
  serverUrl: string,
  room: string,
  doc: Y.Doc,
  opts: { protocols?: string[]; saved?: boolean } = {},
): BenchClient {
  // Each provider adds a process 'exit' listener in Node (y-websocket destroys it on exit): raise the
  // listener limit by one per live provider, so a thousand clients do not print MaxListenersExceededWarning
  // and a real leak elsewhere still would.
  process.setMaxListeners(process.getMaxListeners() + 1);
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    ...(opts.protocols ? { protocols: opts.protocols } : {}),
  });
  const savedListeners: ((sv: Map<number, number>) => void)[] = [];
  provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
    const sv = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
    for (const listener of savedListeners) listener(sv);
  };
  const synced = new Promise<number>((resolve) => {
    if (provider.synced) resolve(performance.now());
    else provider.once('sync', (isSynced: boolean) => isSynced && resolve(performance.now()));
  });
  return {
    doc,
    synced,
    ...(opts.saved ? { onSaved: (listener: (sv: Map<number, number>) => void) => savedListeners.push(listener) } : {}),
    destroy: () => {
      provider.destroy();
      // The provider leaves its awareness running (its interval holds the awareness and, through it, the
      // document with its whole history); destroying the document stops it (BenchClient.destroy).
      doc.destroy();
      process.setMaxListeners(Math.max(10, process.getMaxListeners() - 1));
    },
  };
}
