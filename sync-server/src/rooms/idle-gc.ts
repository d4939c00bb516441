// After a burst of room loads or unloads the heap holds what the burst left behind, and an idle process seldom
// collects it: its RSS stays at the peak for good.
// - Unloads: the freed documents sit in the heap as garbage (bench scenario 4: 1.2-1.7x the baseline minutes after
//   every client left).
// - Loads: each room's first sync and first writes leave copies of every update (socket frames, statement text,
//   postgres.js buffers) in the young generation, in large-object space and in external memory. In bench
//   scenario 4 (1,000 rooms of ~10 kB, each loaded, written once, then idle) that was 27 MB of the 110 MB the
//   server grew by: RSS per loaded room 112.6 kB before a collection, 85.4 kB after it.
// When the process runs with --expose-gc (scripts/start.mjs, the Dockerfile), one full collection (two passes,
// see below) runs once at least `minRooms` rooms loaded or unloaded and the process then stayed nearly idle
// (under `quietCpu` of a core) for `quietMs` (250 ms). A process that stays busy is left to V8's own
// collections. One stop-the-world pause, at a moment when nothing was waiting for the event loop: 114-126 ms
// after 1,000 unloads and 258 ms after 1,000 loads in scratch runs of scenario 4 on the bench VM. One pass
// after loads paused 81-115 ms but left RSS per room at 88-90 kB instead of 78-87.
// Then, when the malloc_trim addon is there (sync-server/src/malloc-trim.ts), malloc gives back the free pages the
// freed buffers left inside its heaps; glibc does not by itself (bench scenario 4: see bench/README.md).
// It collects twice: a full collection frees the dead objects but keeps every old-generation page that still
// holds one live object, and it picks the pages to compact by how full they were before it ran, so only a
// second collection right after moves the few survivors off the emptied pages and releases them (measured in
// bench scenario 4 after 1,000 rooms unloaded: old space 41.8 MB resident for 17.5 MB live after one, 19.7 for
// 17.2 after two; the pair pauses 49-69 ms where one took 22-54). The start-up collection runs once: that heap
// is not fragmented (18 MB resident for 15.6 live) and a second pass would only delay readiness.
import type { Logger } from '../logger.ts';

export interface IdleCollectorOptions {
  /**
   * How long the process must stay nearly idle before the collection runs. Default 250 ms: long enough to
   * tell a burst's end from a gap between its messages, short enough that the heap is back to its live size
   * by the time anyone looks at an idle process.
   */
  quietMs?: number;
  /** Rooms loaded or unloaded since the last collection that make it worth one. Default 100. */
  minRooms?: number;
  /** The share of one core under which the process counts as idle. Default 0.05. */
  quietCpu?: number;
  /** CPU time the process has used, in microseconds (tests replace it). */
  cpuMicros?: () => number;
  /** Runs after each collection: glibc's malloc_trim (sync-server/src/malloc-trim.ts), when the addon is built. */
  trim?: () => boolean;
}

export interface IdleCollector {
  noteLoad(): void;
  noteUnload(): void;
  /** One full collection now (after start-up: module compilation and migrations leave tens of MB of garbage). */
  collectNow(reason: string): void;
  close(): void;
}

export function createIdleCollector(gc: (() => void) | undefined, logger: Logger, opts: IdleCollectorOptions = {}): IdleCollector {
  const quietMs = opts.quietMs ?? 250;
  const minRooms = opts.minRooms ?? 100;
  const quietMicros = (opts.quietCpu ?? 0.05) * quietMs * 1000;
  const cpuMicros = opts.cpuMicros ?? (() => {
    const { user, system } = process.cpuUsage();
    return user + system;
  });
  let loads = 0;
  let unloads = 0;
  let watch: NodeJS.Timeout | undefined;
  const run = (reason: string, passes: number) => {
    if (!gc) return;
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    for (let i = 0; i < passes; i++) gc();
    const collected = performance.now();
    const rssAfterGcMb = mb(process.memoryUsage().rss);
    const trimmed = opts.trim?.();
    const trim = trimmed === undefined ? {} : { trimmed, trimMs: +(performance.now() - collected).toFixed(1), rssAfterGcMb };
    logger.info({ reason, ms: Math.round(collected - t0), rssBeforeMb: mb(before), ...trim, rssAfterMb: mb(process.memoryUsage().rss) }, 'full garbage collection');
  };
  const note = () => {
    if (!gc || watch || loads + unloads < minRooms) return;
    // Every quietMs: collect if the process used less than quietCpu of a core since the last look.
    let last = cpuMicros();
    watch = setInterval(() => {
      const now = cpuMicros();
      const used = now - last;
      last = now;
      if (used >= quietMicros) return;
      clearInterval(watch);
      watch = undefined;
      run(`${loads} rooms loaded, ${unloads} unloaded`, 2);
      loads = unloads = 0;
    }, quietMs);
    watch.unref();
  };
  return {
    noteLoad() {
      loads++;
      note();
    },
    noteUnload() {
      unloads++;
      note();
    },
    collectNow: (reason) => run(reason, 1),
    close() {
      clearInterval(watch);
    },
  };
}
