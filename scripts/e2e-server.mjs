#!/usr/bin/env node
// Server for browser tests: builds the client if needed, then runs the real server on the given port with
// a throwaway database (a fresh database on DATABASE_URL's server, dropped on exit) or a temporary embedded
// PGlite directory. Short token lifetimes are NOT used here: the browser tests exercise the shipped defaults.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { ensureServerBuilt, SERVER_BUNDLE, serverNodeFlags } from './server-build.mjs';

const port = process.argv[2] ?? '8791';
const root = new URL('..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'fieldboard-e2e-'));

const build = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const env = { ...process.env, PORT: port, HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', NODE_ENV: 'test' };
let admin;
let dbName;
if (process.env.DATABASE_URL) {
  admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  dbName = `fb_e2e_${Date.now().toString(36)}`;
  await admin.unsafe(`CREATE DATABASE ${dbName}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${dbName}`;
  env.DATABASE_URL = url.toString();
} else {
  delete env.DATABASE_URL;
}

await ensureServerBuilt();
const server = spawn(process.execPath, [...serverNodeFlags(), SERVER_BUNDLE], { cwd: root, env, stdio: 'inherit' });
let cleaning = false;
async function cleanup(code) {
  if (cleaning) return;
  cleaning = true;
  server.kill('SIGTERM');
  await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
  if (admin) {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}
server.on('exit', (code) => void cleanup(code ?? 1));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void cleanup(0));
