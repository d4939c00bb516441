#!/usr/bin/env node
// Smoke of the newcomer path: `npm start` with no DATABASE_URL (embedded PGlite under a temp DATA_DIR),
// then register, log in, create a project, list it, and stop with SIGTERM. Exits non-zero on any failure.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = 18000 + Math.floor(Math.random() * 2000);
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'fieldboard-smoke-'));
const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;

const server = spawn('npm', ['start'], { env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
let exited = false;
server.on('exit', () => (exited = true));

function fail(message) {
  console.error(`smoke FAILED: ${message}`);
  try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
}

async function call(method, path, body, token) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => null);
  return { status: res.status, json };
}

const deadline = Date.now() + 180_000;
for (;;) {
  if (exited) fail('server exited before it was ready');
  if (Date.now() > deadline) fail('server not ready within 180 s');
  try {
    const res = await fetch(`${base}/ready`);
    if (res.ok) break;
  } catch { /* not listening yet */ }
  await new Promise((r) => setTimeout(r, 500));
}

const email = `smoke-${Date.now()}@example.com`;
const password = 'correct horse battery staple';
const reg = await call('POST', '/api/auth/register', { email, password, full_name: 'Smoke Test' });
if (reg.status !== 201 || !reg.json?.data?.access_token) fail(`register: ${reg.status} ${JSON.stringify(reg.json)}`);
const login = await call('POST', '/api/auth/login', { email, password });
if (login.status !== 200) fail(`login: ${login.status} ${JSON.stringify(login.json)}`);
const token = login.json.data.access_token;
const created = await call('POST', '/api/projects', { name: 'Smoke project' }, token);
if (created.status !== 201) fail(`create project: ${created.status} ${JSON.stringify(created.json)}`);
const list = await call('GET', '/api/projects', undefined, token);
if (list.status !== 200 || !list.json.data.some((p) => p.id === created.json.data.id)) fail(`list projects: ${JSON.stringify(list.json)}`);
const page = await fetch(base + '/');
if (!page.ok || !(await page.text()).includes('<div id="root">')) fail('GET / does not serve the PWA');

process.kill(-server.pid, 'SIGTERM');
const stopDeadline = Date.now() + 20_000;
while (!exited && Date.now() < stopDeadline) await new Promise((r) => setTimeout(r, 100));
if (!exited) fail('server did not stop within 20 s of SIGTERM');
rmSync(dataDir, { recursive: true, force: true });
console.log('smoke OK: embedded PostgreSQL path (register, login, create project, list, serve PWA, graceful stop)');
