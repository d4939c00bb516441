import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.ts';
import { createIdleCollector } from './idle-gc.ts';

const logger = createLogger('silent');

describe('idle collector', () => {
  afterEach(() => vi.useRealTimers());

  it('collects once, after enough rooms loaded or unloaded and the process went idle, and starts counting again', () => {
    vi.useFakeTimers();
    const gc = vi.fn();
    let cpu = 0; // microseconds used by the "process"
    const c = createIdleCollector(gc, logger, { quietMs: 1000, minRooms: 3, quietCpu: 0.05, cpuMicros: () => cpu });
    c.noteLoad();
    c.noteUnload();
    vi.advanceTimersByTime(5000);
    expect(gc).not.toHaveBeenCalled(); // two rooms are not a burst
    c.noteLoad();
    cpu += 400_000; // busy: 40% of a core over the first second
    vi.advanceTimersByTime(1000);
    cpu += 60_000; // 6%: still above the idle share
    vi.advanceTimersByTime(1000);
    expect(gc).not.toHaveBeenCalled();
    cpu += 40_000; // 4%: idle
    vi.advanceTimersByTime(1000);
    expect(gc).toHaveBeenCalledTimes(2); // one collection = two gc() calls (see idle-gc.ts)
    c.noteUnload();
    c.noteLoad();
    vi.advanceTimersByTime(5000);
    expect(gc).toHaveBeenCalledTimes(2); // counting starts again from zero
    c.noteUnload();
    vi.advanceTimersByTime(1000);
    expect(gc).toHaveBeenCalledTimes(4);
    c.close();
  });

  it('stops watching on close', () => {
    vi.useFakeTimers();
    const gc = vi.fn();
    const c = createIdleCollector(gc, logger, { quietMs: 1000, minRooms: 1, cpuMicros: () => 0 });
    c.noteLoad();
    c.close();
    vi.advanceTimersByTime(5000);
    expect(gc).not.toHaveBeenCalled();
  });

  it('does nothing without a gc function (the process was started without --expose-gc)', () => {
    vi.useFakeTimers();
    const c = createIdleCollector(undefined, logger, { quietMs: 10, minRooms: 1 });
    c.noteUnload();
    expect(() => vi.advanceTimersByTime(100)).not.toThrow();
    expect(() => c.collectNow('start-up')).not.toThrow();
  });

  it('trims malloc after each collection, once its passes are done', () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const c = createIdleCollector(() => calls.push('gc'), logger, {
      quietMs: 1000,
      minRooms: 1,
      cpuMicros: () => 0,
      trim: () => calls.push('trim') > 0,
    });
    c.collectNow('start-up');
    expect(calls).toEqual(['gc', 'trim']);
    c.noteUnload();
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(['gc', 'trim', 'gc', 'gc', 'trim']);
    c.close();
  });

  it('collects on demand', () => {
    const gc = vi.fn();
    createIdleCollector(gc, logger).collectNow('start-up');
    expect(gc).toHaveBeenCalledTimes(1);
  });
});

describe('idle collector on the real heap', () => {
  it('after a burst of unloads, gives back the old-generation pages that the freed objects leave mostly empty', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const oldSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!;
    // A loaded server's shape: many objects promoted to the old generation, then most of them freed, with
    // a few survivors spread over every page (as rooms that stay loaded, or the server's own objects).
    const survivors = (() => {
      const all: { i: number; s: string; a: number[] }[] = [];
      for (let i = 0; i < 300_000; i++) all.push({ i, s: `x${i}`, a: [i, i] });
      gc(); // now in the old generation
      return all.filter((_, i) => i % 20 === 0);
    })();
    const before = oldSpace().physical_space_size;
    const c = createIdleCollector(gc, logger, { quietMs: 1, minRooms: 1, cpuMicros: () => 0 });
    c.noteUnload();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = oldSpace();
    expect(survivors.length).toBe(15_000);
    // Freed: at least half of what the old space held, and what stays is close to what is live.
    expect(after.physical_space_size).toBeLessThan(before / 2);
    expect(after.physical_space_size).toBeLessThan(after.space_used_size * 2 + 4 * 2 ** 20);
  });
});
