#!/usr/bin/env node
// `npm start`: build the PWA if dist/client is missing or older than its sources, then run the server.
// The server is a child process so that SIGTERM/SIGINT reach it and its graceful shutdown runs.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildClient, clientIsStale, ROOT } from './client-build.mjs';

if (process.env.SKIP_CLIENT_BUILD !== '1' && clientIsStale()) {
  console.log('[start] building the client (dist/client is missing or out of date)...');
  const status = buildClient();
  if (status !== 0) {
    console.error('[start] client build failed; fix the errors above or run `npm run build` to see them again.');
    process.exit(status);
  }
}

const server = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'sync-server/src/main.ts')], {
  cwd: ROOT,
  stdio: 'inherit',
  env: process.env,
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
