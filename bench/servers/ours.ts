// Our sync server as shipped: dist/server/main.js as `npm start` builds and runs it, on real PostgreSQL (a throwaway
// database per launch, dropped on stop), persistence, projections and activity log on, NODE_ENV=production.
// Users, sessions and memberships are written straight into the database (as test/fixtures.ts does) and
// access tokens signed with the JWT_SECRET the server was given, so connecting needs no REST round trips.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { ensureServerBuilt, SERVER_BUNDLE, serverNodeFlags } from '../../scripts/server-build.mjs';
import { hashToken, newRefreshToken, signAccessToken } from '../../sync-server/src/auth/tokens.ts';
import { startPinned } from './child-process.ts';
import type { BenchServer, DocHandle, LaunchOptions } from './types.ts';
import { connectYWebsocket } from './y-websocket-client.ts';

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface OursDatabase {
  url: string;
  sql: postgres.Sql;
  drop(): Promise<void>;
}

export async function createBenchDatabase(adminUrl: string): Promise<OursDatabase> {
  const name = `fb_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 4, onnotice: () => {} });
  return {
    url: url.toString(),
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    },
  };
}

export interface OursLaunchOptions extends LaunchOptions {
  adminUrl?: string;
  /** Runs after migrations, before any client connects (scenario 5 seeds its history here). */
  database?: OursDatabase;
}

export interface OursServer extends BenchServer {
  db: OursDatabase;
  jwtSecret: Uint8Array;
  /** Creates users with live sessions; returns their ids and access tokens. */
  createUsers(count: number): Promise<{ id: string; token: string }[]>;
}

export async function launchOurs(opts: OursLaunchOptions): Promise<OursServer> {
  const db = opts.database ?? (await createBenchDatabase(opts.adminUrl ?? DEFAULT_ADMIN_URL));
  const dataDir = mkdtempSync(join(tmpdir(), 'fb-bench-'));
  const secret = randomBytes(48).toString('base64');
  const jwtSecret = new TextEncoder().encode(secret);
  // As scripts/start.mjs builds and launches it.
  await ensureServerBuilt();
  // Pinned to one core (taskset), so the flags of a one-CPU process, as `npm start` would choose there.
  const nodeArgs = serverNodeFlags(1);
  if (opts.cpuProfileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`);
  let started;
  try {
    started = await startPinned({
      core: opts.core,
      command: [process.execPath, ...nodeArgs, SERVER_BUNDLE],
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        JWT_SECRET: secret,
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
        ...opts.env,
      },
      cwd: process.cwd(),
      ready: /"url":"http:\/\/127\.0\.0\.1:(\d+)"[^\n]*fieldboard listening|fieldboard listening[^\n]*"url":"http:\/\/127\.0\.0\.1:(\d+)"/,
      timeoutMs: 60_000,
    });
  } catch (error) {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { proc, match } = started;
  const port = Number(match[1] ?? match[2]);

  async function createUsers(count: number) {
    const users = Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      email: `bench-${randomUUID().slice(0, 12)}-${i}@example.com`,
      sessionId: randomUUID(),
      tokenHash: hashToken(newRefreshToken()),
    }));
    for (let i = 0; i < users.length; i += 2000) {
      const chunk = users.slice(i, i + 2000);
      // No one logs in with these users, so the password hash is a placeholder that can never verify.
      await db.sql`INSERT INTO users (id, email, password_hash, full_name)
        SELECT * FROM unnest(${chunk.map((u) => u.id)}::uuid[], ${chunk.map((u) => u.email)}::text[],
          ${chunk.map(() => '!bench')}::text[], ${chunk.map((_, j) => `Bench User ${i + j}`)}::text[])`;
      await db.sql`INSERT INTO auth_sessions (user_id, family_id, token_hash, expires_at)
        SELECT u, f, h, now() + interval '1 day' FROM unnest(${chunk.map((u) => u.id)}::uuid[],
          ${chunk.map((u) => u.sessionId)}::uuid[], ${chunk.map((u) => u.tokenHash)}::text[]) AS t(u, f, h)`;
    }
    return Promise.all(
      users.map(async (u) => ({
        id: u.id,
        token: (await signAccessToken(jwtSecret, { userId: u.id, sessionId: u.sessionId }, 24 * 3600)).token,
      })),
    );
  }

  return {
    name: 'ours',
    pid: proc.pid,
    port,
    readyMs: proc.readyMs,
    output: () => proc.output(),
    db,
    jwtSecret,
    createUsers,
    async createDocs(count, clientsPerDoc) {
      // One user per client slot: the server limits connections per user, as real users would be.
      const users = await createUsers(count * clientsPerDoc);
      const projectIds = Array.from({ length: count }, () => randomUUID());
      await db.sql`INSERT INTO projects (id, name, created_by)
        SELECT p, 'Bench project', u FROM unnest(${projectIds}::uuid[],
          ${projectIds.map((_, d) => users[d * clientsPerDoc]!.id)}::uuid[]) AS t(p, u)`;
      const memberProject: string[] = [];
      const memberUser: string[] = [];
      projectIds.forEach((p, d) => {
        for (let s = 0; s < clientsPerDoc; s++) {
          memberProject.push(p);
          memberUser.push(users[d * clientsPerDoc + s]!.id);
        }
      });
      for (let i = 0; i < memberProject.length; i += 5000) {
        await db.sql`INSERT INTO project_members (project_id, user_id, role)
          SELECT p, u, 'MEMBER' FROM unnest(${memberProject.slice(i, i + 5000)}::uuid[],
            ${memberUser.slice(i, i + 5000)}::uuid[]) AS t(p, u)`;
      }
      return projectIds.map((id, d): DocHandle => ({
        name: id,
        tokens: users.slice(d * clientsPerDoc, (d + 1) * clientsPerDoc).map((u) => u.token),
      }));
    },
    connect(doc, slot, ydoc) {
      const token = doc.tokens?.[slot];
      if (!token) throw new Error(`document ${doc.name} has no token for client slot ${slot}`);
      return connectYWebsocket(`ws://127.0.0.1:${port}/sync`, doc.name, ydoc, {
        protocols: ['fieldboard.v1', `auth.${token}`],
        saved: true,
      });
    },
    async stop() {
      await proc.stop(20_000);
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
