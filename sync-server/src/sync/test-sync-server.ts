// Test harness for the sync side: a real HTTP server on port 0 with the WebSocket upgrade attached, a real
// database (createTestDatabase), projects with members, stock y-websocket providers and raw ws sockets.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino } from 'pino';
import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MessageType, SUBPROTOCOL_FIELDBOARD } from '../../../shared/protocol.ts';
import type { Role } from '../../../shared/roles.ts';
import { createApp } from '../app.ts';
import { connectPostgres } from '../db/database.ts';
import type { Config } from '../config.ts';
import { ServerEvents } from '../events.ts';
import type { AppDeps } from '../http/context.ts';
import { createMetrics, type Metrics } from '../metrics.ts';
import type { DocStore } from '../persistence/doc-store.ts';
import { PgDocStore } from '../persistence/pg-doc-store.ts';
import { createDocWriter, type DocWriter } from '../rooms/doc-writer.ts';
import { createRoomEffects } from '../rooms/room-effects.ts';
import { RoomRegistry, type RegistryOptions } from '../rooms/room-registry.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { createUser, testConfig, type TestUser } from '../test/fixtures.ts';
import { DEFAULT_SYNC_OPTIONS, type SyncOptions } from './sync-options.ts';
import { attachSyncServer, type SyncServer } from './sync-server.ts';

export interface SyncHarness {
  db: TestDatabase;
  config: Config;
  deps: AppDeps & { metrics: Metrics; docs: DocWriter };
  registry: RoomRegistry;
  store: DocStore;
  sync: SyncServer;
  server: Server;
  port: number;
  wsUrl: string;
  httpUrl: string;
  user(): Promise<TestUser>;
  project(members: [TestUser, Role][]): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: Partial<Config>;
  sync?: Partial<SyncOptions>;
  room?: Partial<RegistryOptions>;
  store?: (db: TestDatabase) => DocStore;
  /** Wraps the server's pool (a test that holds back or counts the server's statements). */
  sql?: (sql: TestDatabase['sql']) => TestDatabase['sql'];
  db?: TestDatabase;
}

export async function startSyncHarness(opts: HarnessOptions = {}): Promise<SyncHarness> {
  const db = opts.db ?? (await createTestDatabase());
  const config = testConfig(opts.config);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const metrics = createMetrics();
  // Embedded PGlite behind pglite-socket interleaves concurrent connections' transactions ('portal "" does
  // not exist'; see auth/first-admin.test.ts): the server under test gets one connection there.
  const pool = process.env.DATABASE_URL ? db.sql : connectPostgres(db.url, 1);
  const sql = opts.sql?.(pool) ?? pool;
  const store = opts.store?.(db) ?? new PgDocStore(sql, logger);
  const syncOptions = { ...DEFAULT_SYNC_OPTIONS, roomIdleMs: 60_000, ...opts.sync };
  const registry = new RoomRegistry({ store, logger, metrics, idleUnloadMs: syncOptions.roomIdleMs, compactThreshold: syncOptions.compactThreshold, retryBaseMs: 20, effects: createRoomEffects, ...opts.room });
  const deps = { config, sql, logger, events: new ServerEvents(), docs: createDocWriter(registry), metrics };
  const app = createApp(deps);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
  });
  const sync = attachSyncServer(server, deps, registry, syncOptions, metrics);
  const port = (server.address() as AddressInfo).port;
  return {
    db,
    config,
    deps,
    registry,
    store,
    sync,
    server,
    port,
    wsUrl: `ws://127.0.0.1:${port}/sync`,
    httpUrl: `http://127.0.0.1:${port}`,
    user: () => createUser({ sql, config }),
    project: (members) => createProject({ sql }, members),
    async close() {
      await sync.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (pool !== db.sql) await pool.end({ timeout: 5 });
      if (!opts.db) await db.close();
    },
  };
}

export async function createProject(db: { sql: TestDatabase['sql'] }, members: [TestUser, Role][]): Promise<string> {
  const owner = members[0]![0];
  const [p] = await db.sql<{ id: string }[]>`INSERT INTO projects (name, created_by) VALUES ('Sync test', ${owner.id}) RETURNING id`;
  for (const [user, role] of members) {
    await db.sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${p!.id}, ${user.id}, ${role})`;
  }
  return p!.id;
}

/** A stock y-websocket client, exactly as a third-party app would create it (no BroadcastChannel). */
export function connectProvider(wsUrl: string, projectId: string, token: string, doc = new Y.Doc(), protocol = 'fieldboard.v1') {
  const provider = new WebsocketProvider(wsUrl, projectId, doc, {
    protocols: [protocol, `auth.${token}`],
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  // Stock providers log "Unable to compute message" for our saved message (type 100): our client registers
  // a handler for it, and so does this harness, recording the persisted state vectors it receives.
  const saved: Uint8Array[] = [];
  if (protocol === SUBPROTOCOL_FIELDBOARD) {
    provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
      saved.push(decoding.readVarUint8Array(decoder));
    };
  }
  return { provider, doc, saved };
}

export function waitSynced(provider: WebsocketProvider, timeoutMs = 5000): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('provider did not sync')), timeoutMs);
    provider.once('sync', (synced: boolean) => {
      if (synced) {
        clearTimeout(t);
        resolve();
      }
    });
  });
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A raw socket for protocol-level tests: collects frames and the close code. */
export function rawSocket(url: string, protocols: string[], headers?: Record<string, string>) {
  const ws = new WebSocket(url, protocols, { headers });
  const frames: Uint8Array[] = [];
  ws.binaryType = 'nodebuffer';
  ws.on('message', (d: Buffer) => frames.push(new Uint8Array(d)));
  ws.on('error', () => {});
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { ws, frames, opened, closed };
}
