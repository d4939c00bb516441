// The real server as a child process (node --import tsx sync-server/src/main.ts): a graceful restart brings
// the document back identical, a second process on the same PostgreSQL database waits for the server lock until
// the first is killed, and after kill -9 in the middle of a stream every update the server had acknowledged as
// saved is present (five rounds with different timings).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openEmbedded } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { createUser, testConfig, type TestUser } from '../test/fixtures.ts';
import { connectProvider, createProject, waitFor, waitSynced } from './test-sync-server.ts';

const JWT_SECRET = 'durability-test-secret-0123456789-abcdefghijklmnop';
let db: TestDatabase | null = null;
let user: TestUser;
let projectId: string;
let dataDir: string;
const children = new Set<ChildProcess>();
let running: { child: ChildProcess; wsUrl: string } | null = null;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fieldboard-durability-'));
  const config = testConfig({ jwtSecret: new TextEncoder().encode(JWT_SECRET) });
  if (process.env.DATABASE_URL) {
    db = await createTestDatabase();
    user = await createUser({ sql: db.sql, config });
    projectId = await createProject(db, [[user, 'ADMIN']]);
  } else {
    // No DATABASE_URL: the child runs its own embedded PGlite in DATA_DIR; seed it before the child opens it.
    const embedded = await openEmbedded(join(dataDir, 'pglite'));
    await migrate(embedded.sql);
    user = await createUser({ sql: embedded.sql, config });
    projectId = await createProject(embedded, [[user, 'ADMIN']]);
    await embedded.close();
  }
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await db?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startServer(): Promise<{ child: ChildProcess; wsUrl: string }> {
  const { child, listening } = spawnServer();
  return { child, wsUrl: `${(await listening).replace('http', 'ws')}/sync` };
}

/** Starts the server; `listening` resolves with its URL once it serves, `stdout()` is everything it logged. */
function spawnServer(): { child: ChildProcess; listening: Promise<string>; stdout: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/main.ts'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      ...(db ? { DATABASE_URL: db.url } : {}),
      DATA_DIR: dataDir,
      JWT_SECRET,
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      CLIENT_DIR: join(dataDir, 'no-client'),
      SYNC_COMPACT_THRESHOLD: '50',
      // The stream below is far faster than a person types; this test is about durability, not rate limits.
      SYNC_MESSAGES_PER_SECOND: '100000',
      SYNC_MESSAGE_BURST: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let stderr = '';
  let buf = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /"url":"(http:\/\/[^"]+)".*fieldboard listening|fieldboard listening.*"url":"(http:\/\/[^"]+)"/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve((m[1] ?? m[2])!);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
  });
  return { child, listening, stdout: () => buf };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('durability across process restarts', () => {
  it('a graceful restart brings the document back identical', async () => {
    const first = await startServer();
    const a = connectProvider(first.wsUrl, projectId, user.token);
    await waitSynced(a.provider);
    a.doc.getText('restart').insert(0, 'survives a restart');
    a.doc.getMap('restart-map').set('k', [1, 2, 3]);
    const clock = Y.getState(a.doc.store, a.doc.clientID);
    await waitFor(() => a.saved.some((sv) => (Y.decodeStateVector(sv).get(a.doc.clientID) ?? 0) >= clock), 5000, 'saved');
    a.provider.destroy();
    first.child.kill('SIGTERM');
    await exited(first.child);
    expect(first.child.exitCode).toBe(0);

    const second = await startServer();
    const b = connectProvider(second.wsUrl, projectId, user.token);
    await waitSynced(b.provider);
    expect(b.doc.getText('restart').toString()).toBe('survives a restart');
    expect(b.doc.getMap('restart-map').toJSON()).toEqual(a.doc.getMap('restart-map').toJSON());
    expect(Y.encodeStateVector(b.doc)).toEqual(Y.encodeStateVector(a.doc));
    b.provider.destroy();
    running = second; // the next test starts from this server (each start costs seconds on a loaded machine)
  }, 120_000);

  it.runIf(process.env.DATABASE_URL)('a second server process on the same database waits, and serves once the first is gone (kill -9)', async () => {
    const first = running ?? (await startServer());
    const second = spawnServer();
    let serving = false;
    void second.listening.then(() => (serving = true), () => undefined);
    await waitFor(() => second.stdout().includes('another server process is using this database'), 20_000, 'the second process waiting');
    // It stays out: no migrations, no port, while the first one serves.
    await new Promise((r) => setTimeout(r, 500));
    expect(serving).toBe(false);
    const a = connectProvider(first.wsUrl, projectId, user.token);
    await waitSynced(a.provider);
    a.provider.destroy();

    first.child.kill('SIGKILL');
    await exited(first.child);
    const url = await second.listening;
    running = { child: second.child, wsUrl: `${url.replace('http', 'ws')}/sync` };
    const b = connectProvider(running.wsUrl, projectId, user.token);
    await waitSynced(b.provider);
    expect(b.doc.getText('restart').toString()).toBe('survives a restart');
    b.provider.destroy();
  }, 120_000);

  it('after kill -9 mid-stream, every update acknowledged as saved is present (5 rounds)', async () => {
    let server = running ?? (await startServer());
    // killAfterMs counts from the first saved acknowledgement of the round, so every round has acked data.
    const timings = [
      { intervalMs: 0, killAfterMs: 0 },
      { intervalMs: 2, killAfterMs: 150 },
      { intervalMs: 5, killAfterMs: 40 },
      { intervalMs: 1, killAfterMs: 300 },
      { intervalMs: 3, killAfterMs: 90 },
    ];
    for (const [round, t] of timings.entries()) {
      const c = connectProvider(server.wsUrl, projectId, user.token);
      await waitSynced(c.provider);
      const arr = c.doc.getArray<string>('stream');
      const base = Y.getState(c.doc.store, c.doc.clientID);
      let pushed = 0;
      let stop = false;
      const writer = (async () => {
        while (!stop) {
          arr.push([`${round}:${pushed}`]);
          pushed++;
          await new Promise((r) => (t.intervalMs ? setTimeout(r, t.intervalMs) : setImmediate(r)));
        }
      })();
      const ackedClock = () => Math.max(0, ...c.saved.map((sv) => Y.decodeStateVector(sv).get(c.doc.clientID) ?? 0)) - base;
      await waitFor(() => ackedClock() > 0, 15_000, `round ${round}: a first saved acknowledgement`);
      if (t.killAfterMs) await new Promise((r) => setTimeout(r, t.killAfterMs));
      server.child.kill('SIGKILL');
      stop = true;
      await writer;
      await exited(server.child);
      c.provider.destroy();
      // Each push is one item of length 1, so clock base+i holds value `${round}:${i}`.
      const savedClock = ackedClock();
      expect(savedClock).toBeGreaterThan(0);
      expect(savedClock).toBeLessThanOrEqual(pushed);

      server = await startServer();
      const check = connectProvider(server.wsUrl, projectId, user.token);
      await waitSynced(check.provider);
      const present = new Set(check.doc.getArray<string>('stream').toArray());
      const missing = Array.from({ length: savedClock }, (_, i) => `${round}:${i}`).filter((v) => !present.has(v));
      expect(missing, `round ${round}: acknowledged ${savedClock} of ${pushed}`).toEqual([]);
      check.provider.destroy();
    }
    server.child.kill('SIGTERM');
    await exited(server.child);
  }, 240_000);
});
