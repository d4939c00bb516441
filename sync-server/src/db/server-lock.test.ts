// The server lock (one server process per database) on a real PostgreSQL database: advisory locks are
// PostgreSQL's, and the embedded database belongs to one process anyway (main.ts takes no lock there).
import { connect, createServer, type Server, type Socket } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../sync/test-sync-server.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { acquireServerLock } from './server-lock.ts';

function recordingLogger() {
  const messages: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void messages.push((JSON.parse(line) as { msg: string }).msg) });
  return { logger, messages };
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A TCP proxy to PostgreSQL whose `cut()` drops the client side of every connection and keeps the server side:
 * PostgreSQL keeps the session (and its locks), as it does after a network cut until its keepalives give up.
 */
async function cuttableProxy(target: URL): Promise<{ url: string; cut(): void; close(): Promise<void> }> {
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => !client.destroyed && client.write(d));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    cut() {
      for (const [client] of pairs) client.destroy();
    },
    async close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.runIf(process.env.DATABASE_URL)('server lock', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await db?.close();
  });

  /** Sessions of this database holding (granted) or waiting for an advisory lock. */
  const advisory = (granted: boolean) => db.sql<{ pid: number }[]>`
    SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database
    WHERE l.locktype = 'advisory' AND l.granted = ${granted} AND d.datname = current_database()`;
  const terminateHolder = async () => {
    const [holder] = await advisory(true);
    await db.sql`SELECT pg_terminate_backend(${holder!.pid})`;
  };

  it('makes a second process wait until the first one has ended its session', async () => {
    const first = await acquireServerLock(db.url, { logger: recordingLogger().logger, onLost: () => undefined });
    const waiting = recordingLogger();
    let taken = false;
    const second = acquireServerLock(db.url, { logger: waiting.logger, onLost: () => undefined }).then((lock) => {
      taken = true;
      return lock;
    });
    await waitFor(async () => (await advisory(false)).length === 1);
    await tick(200);
    expect(taken).toBe(false);
    expect(waiting.messages).toContain('another server process is using this database; waiting for it to stop (one server per database)');

    await first.release();
    const lock = await second;
    expect(taken).toBe(true);
    expect(await advisory(true)).toHaveLength(1);
    await lock.release();
    await waitFor(async () => (await advisory(true)).length === 0);
  });

  it('takes the lock again when its connection drops, and gives up serving when another process took it meanwhile', async () => {
    const holder = recordingLogger();
    let lost = 0;
    const first = await acquireServerLock(db.url, { logger: holder.logger, onLost: () => lost++, retryMs: 20 });

    // Nobody else waits: the lock is simply taken again on a new session.
    await terminateHolder();
    await waitFor(() => holder.messages.includes('server lock taken again'));
    expect(lost).toBe(0);
    expect(await advisory(true)).toHaveLength(1);

    // Another process waits for it: when our session ends, that one gets the lock first, so we must stop.
    const other = acquireServerLock(db.url, { logger: recordingLogger().logger, onLost: () => undefined });
    await waitFor(async () => (await advisory(false)).length === 1);
    await terminateHolder();
    const otherLock = await other;
    await waitFor(() => lost === 1);
    expect(holder.messages).toContain('another server process took this database while our connection to it was down; stopping');
    await otherLock.release();
    await first.release();
  });

  it('after a network cut, ends its own old session that PostgreSQL still keeps, and takes the lock again', async () => {
    const proxy = await cuttableProxy(new URL(db.url));
    const holder = recordingLogger();
    let lost = 0;
    const lock = await acquireServerLock(proxy.url, { logger: holder.logger, onLost: () => lost++, retryMs: 20 });
    const [before] = await advisory(true);

    proxy.cut(); // our side of the connection is gone; PostgreSQL's session still holds the lock
    await waitFor(() => holder.messages.includes('server lock taken again'));
    const holders = await advisory(true);
    expect(holders).toHaveLength(1);
    expect(holders[0]!.pid).not.toBe(before!.pid);
    expect(lost).toBe(0);
    await lock.release();
    await proxy.close();
  });
});
