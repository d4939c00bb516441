// Builds the PWA (vite) when its output is missing or older than its sources. Used by `npm start`
// (scripts/start.mjs, into dist/client) and by the browser benchmark (bench scenario 7, into its own
// directory, so a `vite build` run elsewhere at the same time, e.g. by the browser tests, cannot empty the
// directory its server is serving).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname;
export const DEFAULT_CLIENT_DIR = join(ROOT, 'dist/client');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const abs = (dir) => (isAbsolute(dir) ? dir : join(ROOT, dir));

/** True when `outDir` has no index.html or one older than anything under client/, shared/ or vite.config.ts. */
export function clientIsStale(outDir = DEFAULT_CLIENT_DIR) {
  const builtIndex = join(abs(outDir), 'index.html');
  if (!existsSync(builtIndex)) return true;
  const sources = Math.max(newestMtime(join(ROOT, 'client')), newestMtime(join(ROOT, 'shared')), statSync(join(ROOT, 'vite.config.ts')).mtimeMs);
  return sources > statSync(builtIndex).mtimeMs;
}

/** Runs `vite build` into `outDir`; returns the exit status (0 = built). Output goes to this process's stdio. */
export function buildClient(outDir = DEFAULT_CLIENT_DIR) {
  const args = [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', abs(outDir), '--emptyOutDir'];
  const build = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  return build.status ?? 1;
}

/**
 * Builds into `outDir` if it is stale. Returns 'fresh' (nothing to do) or 'built'; throws when the build
 * fails, naming the command that shows the errors again.
 */
export function ensureClientBuilt(outDir = DEFAULT_CLIENT_DIR) {
  if (!clientIsStale(outDir)) return 'fresh';
  const status = buildClient(outDir);
  if (status !== 0) throw new Error(`client build failed (vite exit ${status}); run \`npm run build\` to see the errors again`);
  return 'built';
}
