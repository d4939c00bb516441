// HocuspocusProvider as a bench client: hocuspocus driven by its own client library, one socket per
// client (its own HocuspocusProviderWebsocket, as a provider given a url would create).
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import type * as Y from 'yjs';
import type { BenchClient } from './types.ts';

export function connectHocuspocus(url: string, name: string, doc: Y.Doc): BenchClient {
  let resolveSynced: (at: number) => void = () => {};
  const synced = new Promise<number>((resolve) => {
    resolveSynced = resolve;
  });
  // Node 20 has no global WebSocket: the socket gets the ws polyfill.
  const websocketProvider = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({
    websocketProvider,
    name,
    document: doc,
    onSynced: () => resolveSynced(performance.now()),
  });
  provider.attach();
  return {
    doc,
    synced,
    destroy: () => {
      provider.destroy();
      websocketProvider.destroy();
      doc.destroy();
    },
  };
}
