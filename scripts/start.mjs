#!/usr/bin/env node
// `npm start`: build the PWA if dist/client is missing or older than its sources, and the server if
// dist/server/main.js is, then run the server. The server is a child process so that SIGTERM/SIGINT reach it
// and its graceful shutdown runs.
import { spawn } from 'node:child_process';
import { buildClient, clientIsStale, ROOT } from './client-build.mjs';
import { ensureServerBuilt, SERVER_BUNDLE, serverNodeFlags } from './server-build.mjs';

if (process.env.SKIP_CLIENT_BUILD !== '1' && clientIsStale()) {
  console.log('[start] building the client (dist/client is missing or out of date)...');
  const status = buildClient();
  if (status !== 0) {
    console.error('[start] client build failed; fix the errors above or run `npm run build` to see them again.');
    process.exit(status);
  }
}

try {
  const built = await ensureServerBuilt();
  if (built.server === 'built') console.log('[start] built the server (dist/server/main.js)');
  if (built.mallocTrim.status === 'built') console.log('[start] built the malloc_trim addon (dist/native/malloc-trim.node)');
  if (built.mallocTrim.status === 'skipped') {
    console.log(`[start] running without the malloc_trim addon (${built.mallocTrim.reason}): memory freed by unloaded rooms may stay with the process`);
  }
} catch (error) {
  console.error(`[start] server build failed:\n${error.message}`);
  process.exit(1);
}

const server = spawn(process.execPath, [...serverNodeFlags(), SERVER_BUNDLE], {
  cwd: ROOT,
  stdio: 'inherit',
  env: process.env,
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
