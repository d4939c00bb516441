// Builds the sync server into one JavaScript file, dist/server/main.js (esbuild; the packages under
// node_modules stay imports), when it is missing or older than its sources. `npm start`, the Dockerfile, the
// browser tests' server and the benchmarks all run that file, so what is measured is what ships.
//
// Why not `node --import tsx` in production: tsx compiles every module at each start (measured on real
// PostgreSQL: ready after 1.0-1.2 s instead of 0.53-0.56 s, and 185 MB of RSS once idle instead of 115), and
// its transform keeps function names by wrapping every named arrow function in a __name() call, which costs a
// call per closure created and leaves each such function with a dictionary of properties. Tests and
// `npm run dev:server` still run the TypeScript directly.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from './client-build.mjs';
import { ensureMallocTrimBuilt } from './native-build.mjs';

export const SERVER_ENTRY = join(ROOT, 'sync-server/src/main.ts');
export const SERVER_BUNDLE = join(ROOT, 'dist/server/main.js');
/**
 * Node flags the server runs with, for a process allowed `cpus` CPUs (by default what its affinity allows):
 * --expose-gc for one collection after a burst of room unloads (sync-server/src/rooms/idle-gc.ts); source maps
 * so that stack traces name the TypeScript files; and, on one CPU, --single-threaded-gc. V8 sizes its
 * collector's helper threads by the machine's CPUs, not the process's: on one CPU they cannot run beside the
 * event loop, only take turns with it. Measured (bench/README.md, eighteenth session): at 3,000 updates/s the
 * pinned server waited for its core 431-612 ms per 5 s window with the flag, 642-849 ms without.
 */
export function serverNodeFlags(cpus = availableParallelism()) {
  return ['--expose-gc', '--enable-source-maps', ...(cpus === 1 ? ['--single-threaded-gc'] : [])];
}

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/server/main.js is missing or older than a .ts file under sync-server/ or shared/, or package-lock.json. */
export function serverIsStale() {
  if (!existsSync(SERVER_BUNDLE)) return true;
  const sources = Math.max(
    newestSource(join(ROOT, 'sync-server')),
    newestSource(join(ROOT, 'shared')),
    statSync(join(ROOT, 'package-lock.json')).mtimeMs,
    statSync(new URL(import.meta.url)).mtimeMs,
  );
  return sources > statSync(SERVER_BUNDLE).mtimeMs;
}

/**
 * Bundles the server; throws esbuild's error (with file and line) when the sources do not compile. Each
 * output file is written beside its target and renamed over it, so a server starting meanwhile (the browser
 * tests and a benchmark building at once) never reads half a file.
 */
export async function buildServer() {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    write: false,
    entryPoints: [SERVER_ENTRY],
    outfile: SERVER_BUNDLE,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    legalComments: 'none',
  });
  mkdirSync(dirname(SERVER_BUNDLE), { recursive: true });
  for (const file of result.outputFiles) {
    const partial = `${file.path}.${process.pid}.partial`;
    writeFileSync(partial, file.contents);
    renameSync(partial, file.path);
  }
}

/**
 * Builds the bundle when stale, and the optional malloc_trim addon (scripts/native-build.mjs) when missing or
 * stale. Returns what each step did; throws only when the bundle does not build.
 */
export async function ensureServerBuilt() {
  const server = serverIsStale() ? 'built' : 'fresh';
  if (server === 'built') await buildServer();
  return { server, mallocTrim: ensureMallocTrimBuilt() };
}

// `node scripts/server-build.mjs`: build the bundle now (whether stale or not), and the addon when needed.
if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  await buildServer();
  console.log(`built ${SERVER_BUNDLE}`);
  const mallocTrim = ensureMallocTrimBuilt();
  console.log(mallocTrim.status === 'skipped' ? `malloc_trim addon not built: ${mallocTrim.reason}` : `malloc_trim addon ${mallocTrim.status}`);
}
