import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.ts';
import { createIdleCollector } from './idle-gc.ts';

const logger = createLogger('silent');

describe('idle collector', () => {
  afterEach(() => vi.useRealTimers());

  it('collects once, after enough unloads went quiet, and starts counting again', () => {
    vi.useFakeTimers();
    const gc = vi.fn();
    const c = createIdleCollector(gc, logger, { quietMs: 1000, minUnloads: 3 });
    c.noteUnload();
    c.noteUnload();
    vi.advanceTimersByTime(5000);
    expect(gc).not.toHaveBeenCalled(); // two unloads are not a burst
    c.noteUnload();
    vi.advanceTimersByTime(900);
    c.noteUnload(); // still unloading: wait for quiet
    vi.advanceTimersByTime(900);
    expect(gc).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    expect(gc).toHaveBeenCalledTimes(1);
    c.noteUnload();
    vi.advanceTimersByTime(5000);
    expect(gc).toHaveBeenCalledTimes(1);
    c.close();
  });

  it('does nothing without a gc function (the process was started without --expose-gc)', () => {
    vi.useFakeTimers();
    const c = createIdleCollector(undefined, logger, { quietMs: 10, minUnloads: 1 });
    c.noteUnload();
    expect(() => vi.advanceTimersByTime(100)).not.toThrow();
    expect(() => c.collectNow('start-up')).not.toThrow();
  });

  it('collects on demand', () => {
    const gc = vi.fn();
    createIdleCollector(gc, logger).collectNow('start-up');
    expect(gc).toHaveBeenCalledTimes(1);
  });
});
