// Loads the optional malloc_trim addon (sync-server/native/malloc-trim.c, built into dist/native by
// scripts/native-build.mjs). The idle collector calls it after its full collection: V8 then has given its pages
// back, and glibc still holds the free memory that freed socket frames and statement buffers left inside its
// heaps. Without the addon (not built, or not Linux with glibc) the server runs the same and keeps that memory.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ADDON = join('dist', 'native', 'malloc-trim.node');

/**
 * The project root's addon, found from this module's place: the bundle (dist/server/main.js) and the sources
 * (sync-server/src) both sit two or three levels below it. Undefined when there is none.
 */
export function findMallocTrimAddon(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from, up = 0; up < 4; up++, dir = dirname(dir)) {
    const path = join(dir, ADDON);
    if (existsSync(path)) return path;
  }
  return undefined;
}

export type MallocTrim = () => boolean;

/** The addon at `path` (findMallocTrimAddon) as a function, malloc_trim(0), true when it gave memory back; or why not. */
export function loadMallocTrim(path: string | undefined): { trim: MallocTrim } | { unavailable: string } {
  if (!path) return { unavailable: `${ADDON} not built (scripts/native-build.mjs)` };
  try {
    const addon = createRequire(import.meta.url)(path) as { trim?: MallocTrim };
    if (typeof addon.trim !== 'function') return { unavailable: `${path} has no trim(): built without glibc` };
    return { trim: addon.trim };
  } catch (error) {
    return { unavailable: `${path} did not load: ${(error as Error).message}` };
  }
}
