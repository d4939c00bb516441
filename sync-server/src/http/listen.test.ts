// The listen backlog, seen from outside: a burst of connections arrives while the event loop is busy (as
// when every board reconnects after a deploy), and every one of them must complete its handshake at once,
// held by the kernel until we accept it, none left waiting a second or more for a retransmission.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import { afterEach, expect, it } from 'vitest';
import { listen } from './listen.ts';

/** More than Node's default backlog (511) holds; under LISTEN_BACKLOG. */
const BURST = 1000;

function somaxconn(): number {
  try {
    return Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
  } catch {
    return 0;
  }
}

// Opens BURST connections when told to, and reports how many completed: once all have, or after 2.5 s. A
// handshake dropped for want of room is retried after 1 s and again after 3 s, and while the server accepts
// nothing the queue stays full, so within the deadline the count is the backlog's, however slow this machine.
const CONNECTOR = `
const net = require('node:net');
const [port, count] = process.argv.slice(1).map(Number);
process.stdin.once('data', () => {
  const go = Date.now();
  let connected = 0;
  const sockets = [];
  const report = () => {
    console.log(JSON.stringify({ go, at: Date.now(), connected }));
    for (const s of sockets) s.destroy();
    process.exit(0);
  };
  for (let i = 0; i < count; i++) {
    const s = net.connect(port, '127.0.0.1', () => ++connected === count && report());
    s.on('error', () => {});
    sockets.push(s);
  }
  setTimeout(report, 2500);
});
console.log('ready');
`;

/** Blocks this thread (and so the event loop that would accept connections). */
function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

it.runIf(somaxconn() >= BURST)('holds a burst of 1,000 connections while the event loop is busy', async () => {
  server = createServer();
  const { port } = await listen(server, 0, '127.0.0.1');
  const child = spawn(process.execPath, ['-e', CONNECTOR, String(port), String(BURST)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  expect((await lines.next()).value).toBe('ready');

  const blockedFrom = Date.now();
  child.stdin!.write('go\n');
  blockFor(3000);
  const blockedUntil = Date.now();

  const report = JSON.parse((await lines.next()).value as string) as { go: number; at: number; connected: number };
  // The connections were opened and counted while this process accepted nothing.
  expect(report.go).toBeGreaterThanOrEqual(blockedFrom);
  expect(report.at).toBeLessThanOrEqual(blockedUntil);
  expect(report.connected).toBe(BURST);
}, 20_000);

it('rejects with the error when the port is taken', async () => {
  server = createServer();
  const { port } = await listen(server, 0, '127.0.0.1');
  const second = createServer();
  await expect(listen(second, port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
});
