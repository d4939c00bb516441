// Test fixtures shared by every server test: a test config, an app on a throwaway database, and users with
// live sessions (so authenticateAccessToken accepts their tokens) created straight in the database.
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Argon2id } from 'oslo/password';
import { pino } from 'pino';
import { createApp } from '../app.ts';
import { newRefreshToken, hashToken, signAccessToken } from '../auth/tokens.ts';
import type { Config } from '../config.ts';
import type { Sql } from '../db/database.ts';
import { ServerEvents } from '../events.ts';
import type { AppDeps } from '../http/context.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: undefined,
    dataDir: join(tmpdir(), 'fieldboard-test'),
    jwtSecret: new TextEncoder().encode(randomBytes(32).toString('base64')),
    accessTokenTtl: 3600,
    refreshTokenTtl: 30 * 24 * 3600,
    allowedOrigins: ['http://allowed.example'],
    logLevel: 'silent',
    nodeEnv: 'test',
    maxFrameBytes: 1024 * 1024,
    maxUploadBytes: 25 * 1024 * 1024,
    clientDir: join(tmpdir(), 'fieldboard-no-client'),
    trustProxy: false,
    ...overrides,
  };
}

export interface TestUser {
  id: string;
  email: string;
  full_name: string;
  /** A valid access token for a live session. */
  token: string;
  sessionId: string;
  refreshToken: string;
}

let passwordHash: Promise<string> | undefined;

export async function createUser(
  deps: { sql: Sql; config: Config },
  opts: { email?: string; full_name?: string; is_instance_admin?: boolean } = {},
): Promise<TestUser> {
  passwordHash ??= new Argon2id().hash(TEST_PASSWORD);
  const email = opts.email ?? `user-${randomUUID().slice(0, 8)}@example.com`;
  const fullName = opts.full_name ?? 'Test User';
  const [user] = await deps.sql<{ id: string }[]>`
    INSERT INTO users (email, password_hash, full_name, is_instance_admin)
    VALUES (${email}, ${await passwordHash}, ${fullName}, ${opts.is_instance_admin ?? false}) RETURNING id`;
  const session = await createSession(deps, user!.id);
  return { id: user!.id, email, full_name: fullName, ...session };
}

/** A new login session (refresh-token family) for an existing user, with a signed access token. */
export async function createSession(deps: { sql: Sql; config: Config }, userId: string) {
  const sessionId = randomUUID();
  const refreshToken = newRefreshToken();
  await deps.sql`
    INSERT INTO auth_sessions (user_id, family_id, token_hash, expires_at)
    VALUES (${userId}, ${sessionId}, ${hashToken(refreshToken)}, now() + make_interval(secs => ${deps.config.refreshTokenTtl}))`;
  const { token } = await signAccessToken(deps.config.jwtSecret, { userId, sessionId }, deps.config.accessTokenTtl);
  return { token, sessionId, refreshToken };
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  db: TestDatabase;
  sql: Sql;
  config: Config;
  /** app.request with JSON body and optional bearer token; returns status, headers and parsed JSON. */
  call(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{
    status: number;
    headers: Headers;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on arbitrary JSON
    json: any;
  }>;
  close(): Promise<void>;
}

export async function createTestApp(configOverrides: Partial<Config> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = testConfig(configOverrides);
  const deps: AppDeps = { config, sql: db.sql, logger: pino({ level: 'silent' }), events: new ServerEvents() };
  const app = createApp(deps);
  return {
    app,
    deps,
    db,
    sql: db.sql,
    config,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: string | undefined;
      if (opts.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      }
      const res = await app.request(path, { method, headers, body });
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = text;
      }
      return { status: res.status, headers: res.headers, json };
    },
    close: () => db.close(),
  };
}
