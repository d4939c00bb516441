// After a burst of room unloads the freed documents sit in the heap as garbage until V8 next collects, and an
// idle process seldom does: its RSS stays at the peak of the load for good (bench scenario 4: 1.2-1.7x the
// baseline minutes after every client left). When the process runs with --expose-gc (scripts/start.mjs, the
// Dockerfile), one full collection (two passes, see below) runs once at least `minUnloads` rooms unloaded and
// unloading then went quiet for `quietMs` (1 s: unloads come in bursts, as rooms left together time out
// together), which lets V8 hand those pages back. One stop-the-world pause of tens of ms, at a moment when the
// rooms it would delay have just gone. (malloc keeps most of what the freed buffers held: see bench/README.md.)
// It collects twice: a full collection frees the dead objects but keeps every old-generation page that still
// holds one live object, and it picks the pages to compact by how full they were before it ran, so only a
// second collection right after moves the few survivors off the emptied pages and releases them (measured in
// bench scenario 4 after 1,000 rooms unloaded: old space 41.8 MB resident for 17.5 MB live after one, 19.7 for
// 17.2 after two; the pair pauses 49-69 ms where one took 22-54). The start-up collection runs once: that heap
// is not fragmented (18 MB resident for 15.6 live) and a second pass would only delay readiness.
import type { Logger } from '../logger.ts';

export interface IdleCollectorOptions {
  quietMs?: number;
  minUnloads?: number;
}

export interface IdleCollector {
  noteUnload(): void;
  /** One full collection now (after start-up: module compilation and migrations leave tens of MB of garbage). */
  collectNow(reason: string): void;
  close(): void;
}

export function createIdleCollector(gc: (() => void) | undefined, logger: Logger, opts: IdleCollectorOptions = {}): IdleCollector {
  const quietMs = opts.quietMs ?? 1000;
  const minUnloads = opts.minUnloads ?? 100;
  let unloads = 0;
  let timer: NodeJS.Timeout | undefined;
  const run = (reason: string, passes: number) => {
    if (!gc) return;
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    for (let i = 0; i < passes; i++) gc();
    logger.info({ reason, ms: Math.round(performance.now() - t0), rssBeforeMb: Math.round(before / 2 ** 20), rssAfterMb: Math.round(process.memoryUsage().rss / 2 ** 20) }, 'full garbage collection');
  };
  const collect = () => {
    timer = undefined;
    if (unloads < minUnloads) return;
    run(`${unloads} rooms unloaded`, 2);
    unloads = 0;
  };
  return {
    noteUnload() {
      if (!gc) return;
      unloads++;
      if (unloads < minUnloads) return;
      clearTimeout(timer);
      timer = setTimeout(collect, quietMs);
      timer.unref();
    },
    collectNow: (reason) => run(reason, 1),
    close() {
      clearTimeout(timer);
    },
  };
}
