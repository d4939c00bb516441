// Builds the server's one native addon, dist/native/malloc-trim.node (sync-server/native/malloc-trim.c), when it
// is missing or older than its source. It is optional: where it cannot be built (not Linux with glibc, no C
// compiler, no Node headers) the server runs without it and keeps the memory glibc does not give back by itself.
// Compiled with the C compiler directly (one file, Node-API only), not node-gyp: no Python, no download.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './client-build.mjs';

export const MALLOC_TRIM_SOURCE = join(ROOT, 'sync-server/native/malloc-trim.c');
export const MALLOC_TRIM_ADDON = join(ROOT, 'dist/native/malloc-trim.node');

/** Why the addon cannot be built here, or undefined when it can be tried. */
function cannotBuild() {
  if (process.platform !== 'linux') return `malloc_trim is glibc's; this is ${process.platform}`;
  const glibc = process.report?.getReport().header.glibcVersionRuntime;
  if (!glibc) return 'this Linux has no glibc (malloc_trim is glibc\'s)';
  if (!existsSync(join(nodeHeaders(), 'node_api.h'))) return `no Node headers at ${nodeHeaders()}`;
  return undefined;
}

/** Node's headers ship beside its binary: <prefix>/bin/node and <prefix>/include/node. */
function nodeHeaders() {
  return join(dirname(process.execPath), '..', 'include', 'node');
}

/**
 * Builds the addon when it is missing or older than its source (or this script). Never throws: returns
 * { status: 'fresh' | 'built' } or { status: 'skipped', reason } with the reason it could not be built.
 * `out` and `cc` are for tests; the compiler is $CC, else `cc`.
 */
export function ensureMallocTrimBuilt({ out = MALLOC_TRIM_ADDON, cc = process.env.CC || 'cc' } = {}) {
  if (existsSync(out)) {
    const source = Math.max(statSync(MALLOC_TRIM_SOURCE).mtimeMs, statSync(new URL(import.meta.url)).mtimeMs);
    if (statSync(out).mtimeMs >= source) return { status: 'fresh' };
  }
  const reason = cannotBuild();
  if (reason) return { status: 'skipped', reason };
  mkdirSync(dirname(out), { recursive: true });
  // Written beside its target and renamed over it: a server starting meanwhile never loads half a file.
  const partial = `${out}.${process.pid}.partial`;
  const args = ['-O2', '-shared', '-fPIC', '-Wall', '-Werror', '-I', nodeHeaders(), MALLOC_TRIM_SOURCE, '-o', partial];
  const run = spawnSync(cc, args, { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    rmSync(partial, { force: true });
    const why = run.error ? run.error.message : (run.stderr || `exit ${run.status}`).trim();
    return { status: 'skipped', reason: `${cc} failed: ${why}` };
  }
  renameSync(partial, out);
  return { status: 'built' };
}
