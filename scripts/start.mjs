#!/usr/bin/env node
// `npm start`: build the PWA if dist/client is missing or older than its sources, and the server if
// dist/server/main.js is, then run the server. The server is a child process so that SIGTERM/SIGINT reach it
// and its graceful shutdown runs.
import { spawn } from 'node:child_process';
import { buildClient, clientIsStale, ROOT } from './client-build.mjs';
import { ensureServerBuilt, SERVER_BUNDLE, SERVER_NODE_FLAGS } from './server-build.mjs';

if (process.env.SKIP_CLIENT_BUILD !== '1' && clientIsStale()) {
  console.log('[start] building the client (dist/client is missing or out of date)...');
  const status = buildClient();
  if (status !== 0) {
    console.error('[start] client build failed; fix the errors above or run `npm run build` to see them again.');
    process.exit(status);
  }
}

try {
  if ((await ensureServerBuilt()) === 'built') console.log('[start] built the server (dist/server/main.js)');
} catch (error) {
  console.error(`[start] server build failed:\n${error.message}`);
  process.exit(1);
}

const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER_BUNDLE], {
  cwd: ROOT,
  stdio: 'inherit',
  env: process.env,
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
