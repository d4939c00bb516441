// A destroyed bench client must leave nothing in the load generator: every scenario connects thousands of
// clients over a run, and what they leave behind is collected (and marked, again and again) in the windows of
// whichever server runs next.
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { connectHocuspocus } from './hocuspocus-client.ts';
import type { BenchClient } from './types.ts';
import { connectYWebsocket } from './y-websocket-client.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/**
 * How long a destroyed client may take to let go: the closing handshake holds it for a moment (y-websocket's
 * document was still reachable 100 ms after its destroy, not after 200).
 */
const CLOSING_MS = 1000;

/**
 * A WebSocket server that accepts every connection and never answers: the clients stay connected, as to a
 * server under test, until destroyed.
 */
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () => {
      for (const client of wss.clients) client.terminate();
      return new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * Connects a client to a new document, destroys it, and returns a weak reference to the document (from a
 * function of its own: a suspended async function keeps its locals, so the caller must never hold them).
 */
async function connectAndDestroy(connect: (doc: Y.Doc) => BenchClient): Promise<WeakRef<Y.Doc>> {
  const doc = new Y.Doc();
  doc.getMap('bench').set('w', [1, 2]);
  const client = connect(doc);
  await new Promise((resolve) => setTimeout(resolve, 50));
  client.destroy();
  return new WeakRef(doc);
}

async function collectedAfterDestroy(connect: (doc: Y.Doc) => BenchClient): Promise<boolean> {
  const ref = await connectAndDestroy(connect);
  // Collect twice: weak references clear after a full cycle.
  await new Promise((resolve) => setTimeout(resolve, CLOSING_MS));
  gc();
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  return ref.deref() === undefined;
}

describe('bench clients', () => {
  let server: Awaited<ReturnType<typeof silentServer>>;
  beforeAll(async () => {
    server = await silentServer();
  });
  afterAll(() => server.close());

  it('a destroyed y-websocket client leaves its document to the collector', async () => {
    expect(await collectedAfterDestroy((doc) => connectYWebsocket(server.url, 'room', doc))).toBe(true);
  });

  it('a destroyed Hocuspocus client leaves its document to the collector', async () => {
    expect(await collectedAfterDestroy((doc) => connectHocuspocus(server.url, 'room', doc))).toBe(true);
  });
});
