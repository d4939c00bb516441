// The only file that reads process.env and listens. Start-up: config -> database (the server lock, migrations)
// -> app -> HTTP server (+ WebSocket upgrades on /sync). Shutdown on SIGTERM/SIGINT: stop accepting, finish in-flight
// requests, flush and close every room, close the pool.
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { purgeEndedSessions } from './auth/sessions.ts';
import { ConfigError, loadConfig } from './config.ts';
import { connectPostgres, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { acquireServerLock } from './db/server-lock.ts';
import { ServerEvents } from './events.ts';
import { listen } from './http/listen.ts';
import { createLogger } from './logger.ts';
import { findMallocTrimAddon, loadMallocTrim } from './malloc-trim.ts';
import { createMetrics } from './metrics.ts';
import { PgDocStore } from './persistence/pg-doc-store.ts';
import { createDocWriter } from './rooms/doc-writer.ts';
import { createRoomEffects } from './rooms/room-effects.ts';
import { RoomRegistry } from './rooms/room-registry.ts';
import { createIdleCollector } from './rooms/idle-gc.ts';
import { loadSyncOptions } from './sync/sync-options.ts';
import { attachSyncServer } from './sync/sync-server.ts';

let config;
let syncOptions;
try {
  config = loadConfig(process.env);
  syncOptions = loadSyncOptions(process.env);
} catch (error) {
  if (error instanceof ConfigError || (error instanceof Error && error.message.startsWith('Invalid sync configuration'))) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const logger = createLogger(config.logLevel);

const db = await openDatabase(config);
logger.info({ database: db.kind === 'embedded' ? `embedded PGlite in ${config.dataDir}` : 'DATABASE_URL' }, 'database opened');
// One server process per database (db/server-lock.ts); before migrations, so a process that waits touches nothing.
const serverLock =
  db.kind === 'postgres'
    ? await acquireServerLock(db.url, { logger, onLost: () => process.exit(1) })
    : null;
const applied = await migrate(db.sql);
if (applied.length) logger.info({ applied }, 'migrations applied');

const metrics = createMetrics({ defaultMetrics: true });
// Embedded PGlite behind pglite-socket interleaves concurrent connections' transactions ('portal "" does not
// exist', see auth/first-admin.test.ts), which made group commits fail and retry. The sync side (log writes,
// its auth and membership checks) gets one connection of its own there; with DATABASE_URL it shares the pool.
const syncSql = db.kind === 'embedded' ? connectPostgres(db.url, 1) : db.sql;
// With --expose-gc (scripts/start.mjs, the Dockerfile): one full collection once a burst of room loads or
// unloads is over and the process is idle, then malloc_trim when its addon is built.
const mallocTrim = loadMallocTrim(findMallocTrimAddon());
if ('unavailable' in mallocTrim) logger.info({ reason: mallocTrim.unavailable }, 'running without malloc_trim');
const idleGc = createIdleCollector((globalThis as { gc?: () => void }).gc, logger, { trim: 'trim' in mallocTrim ? mallocTrim.trim : undefined });
const rooms = new RoomRegistry({
  store: new PgDocStore(syncSql, logger),
  logger,
  metrics,
  idleUnloadMs: syncOptions.roomIdleMs,
  compactThreshold: syncOptions.compactThreshold,
  effects: createRoomEffects,
  onLoaded: () => idleGc.noteLoad(),
  onUnloaded: () => idleGc.noteUnload(),
});
const deps = { config, sql: db.sql, logger, events: new ServerEvents(), docs: createDocWriter(rooms), metrics };
const app = createApp(deps);

const server = createAdaptorServer({ fetch: app.fetch, hostname: config.host }) as Server;
const sync = attachSyncServer(server, { ...deps, sql: syncSql }, rooms, syncOptions, metrics);
try {
  const { port } = await listen(server, config.port, config.host);
  idleGc.collectNow('start-up');
  logger.info({ url: `http://${config.host}:${port}` }, 'fieldboard listening');
} catch (error) {
  const { code, message } = error as NodeJS.ErrnoException;
  logger.fatal({ err: message }, code === 'EADDRINUSE' ? `port ${config.port} on ${config.host} is in use (set PORT)` : 'cannot listen');
  process.exit(1);
}

// Every refresh adds a row to auth_sessions; families past their absolute expiry (plus a day, so reuse of an
// old token is still recognised for a while) are deleted hourly.
const SESSION_PURGE_MS = 60 * 60 * 1000;
const purgeSessions = () =>
  purgeEndedSessions(db.sql, Date.now())
    .then((purged) => purged && logger.info({ purged }, 'ended sessions purged'))
    .catch((error: Error) => logger.warn({ err: error.message }, 'session purge failed'));
void purgeSessions();
const purgeTimer = setInterval(purgeSessions, SESSION_PURGE_MS);
purgeTimer.unref();

let shuttingDown = false;
async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    logger.error('shutdown took longer than 15 s; exiting');
    process.exit(1);
  }, 15_000);
  force.unref();
  clearInterval(purgeTimer);
  idleGc.close();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Close sockets and write every queued update before the pool goes away.
  await sync.close();
  await closed;
  if (syncSql !== db.sql) await syncSql.end({ timeout: 5 });
  await db.close();
  await serverLock?.release();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
