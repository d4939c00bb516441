// The only file that reads process.env and listens. Start-up: config -> database (+ migrations) -> app ->
// HTTP server (+ WebSocket upgrades on /sync). Shutdown on SIGTERM/SIGINT: stop accepting, finish in-flight
// requests, flush and close every room, close the pool.
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { ServerEvents } from './events.ts';
import { createLogger } from './logger.ts';

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const logger = createLogger(config.logLevel);

const db = await openDatabase(config);
logger.info({ database: db.kind === 'embedded' ? `embedded PGlite in ${config.dataDir}` : 'DATABASE_URL' }, 'database opened');
const applied = await migrate(db.sql);
if (applied.length) logger.info({ applied }, 'migrations applied');

const deps = { config, sql: db.sql, logger, events: new ServerEvents() };
const app = createApp(deps);

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  logger.info({ url: `http://${config.host}:${info.port}` }, 'fieldboard listening');
}) as Server;

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
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
