import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from './throttle.ts';

function limiter(limit: number, windowMs: number, maxKeys?: number) {
  let now = 1_000_000;
  const l = new SlidingWindowLimiter({ limit, windowMs, now: () => now, ...(maxKeys ? { maxKeys } : {}) });
  return { l, advance: (ms: number) => (now += ms) };
}

describe('SlidingWindowLimiter', () => {
  it('allows `limit` events per window and says when the next one will be allowed', () => {
    const { l, advance } = limiter(3, 60_000);
    for (let i = 0; i < 3; i++) {
      expect(l.take('k').ok).toBe(true);
      advance(10_000);
    }
    const refused = l.take('k');
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 30 }); // first event at t=0 leaves the window at 60 s
    expect(l.check('k')).toEqual({ ok: false, retryAfterSeconds: 30 });
    advance(30_000);
    expect(l.take('k').ok).toBe(true);
    expect(l.take('k').ok).toBe(false);
  });

  it('slides: no double burst at a window edge', () => {
    const { l, advance } = limiter(2, 1000);
    l.take('k');
    advance(900);
    l.take('k');
    advance(200); // first left the window, second has not
    expect(l.take('k').ok).toBe(true);
    expect(l.take('k').ok).toBe(false);
  });

  it('keeps keys apart', () => {
    const { l } = limiter(1, 1000);
    expect(l.take('a').ok).toBe(true);
    expect(l.take('a').ok).toBe(false);
    expect(l.take('b').ok).toBe(true);
  });

  it('gives a slot back on release (once), and reset forgets a key', () => {
    const { l } = limiter(1, 1000);
    const slot = l.take('k');
    expect(slot.ok).toBe(true);
    if (slot.ok) {
      slot.release();
      slot.release();
    }
    expect(l.take('k').ok).toBe(true);
    expect(l.take('k').ok).toBe(false);
    l.reset('k');
    expect(l.take('k').ok).toBe(true);
  });

  it('never reports less than one second to wait', () => {
    const { l, advance } = limiter(1, 1000);
    l.take('k');
    advance(999);
    expect(l.check('k')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('bounds memory under a flood of distinct keys', () => {
    const { l } = limiter(5, 60_000, 100);
    for (let i = 0; i < 5000; i++) l.take(`ip-${i}`);
    const tracked = (l as unknown as { hits: Map<string, number[]> }).hits.size;
    expect(tracked).toBeLessThanOrEqual(100);
    // The oldest keys were the ones dropped; the newest are still counted.
    expect(l.check('ip-4999').ok).toBe(true);
    for (let i = 0; i < 4; i++) l.take('ip-4999');
    expect(l.check('ip-4999').ok).toBe(false);
  });
});
