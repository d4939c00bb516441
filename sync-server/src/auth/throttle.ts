// In-memory sliding-window limiter (single node, like the rest of the server's live state). Each key keeps
// the timestamps of its counted events inside the window, so "at most N in W" holds exactly, with no burst at
// window edges. A slot is taken BEFORE the slow work (Argon2) so that parallel requests cannot all slip
// through a check-then-record gap; `release()` gives it back when the attempt turns out not to count
// (for login: a successful one).

export interface ThrottleOptions {
  limit: number;
  windowMs: number;
  /** Injectable clock, ms since epoch. */
  now?: () => number;
  /** Bound on tracked keys, so a flood of distinct keys cannot grow memory without end. */
  maxKeys?: number;
}

export type TakeResult = { ok: true; release: () => void } | { ok: false; retryAfterSeconds: number };

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly maxKeys: number;
  private opsSinceSweep = 0;

  constructor(opts: ThrottleOptions) {
    this.limit = opts.limit;
    this.windowMs = opts.windowMs;
    this.now = opts.now ?? Date.now;
    this.maxKeys = opts.maxKeys ?? 100_000;
  }

  /** Whether `key` is currently blocked, and for how long, without counting anything. */
  check(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const times = this.live(key, this.now());
    if (times.length < this.limit) return { ok: true };
    return { ok: false, retryAfterSeconds: this.retryAfter(times, this.now()) };
  }

  /** Counts one event for `key` if it is under the limit. */
  take(key: string): TakeResult {
    const now = this.now();
    const times = this.live(key, now);
    if (times.length >= this.limit) return { ok: false, retryAfterSeconds: this.retryAfter(times, now) };
    times.push(now);
    this.hits.set(key, times);
    this.maybeSweep(now);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const current = this.hits.get(key);
        const index = current?.indexOf(now) ?? -1;
        if (current && index >= 0) current.splice(index, 1);
      },
    };
  }

  /** Forgets every event of `key`. */
  reset(key: string): void {
    this.hits.delete(key);
  }

  private live(key: string, now: number): number[] {
    const times = this.hits.get(key);
    if (!times) return [];
    const cutoff = now - this.windowMs;
    while (times.length && times[0]! <= cutoff) times.shift();
    if (!times.length) this.hits.delete(key);
    return times;
  }

  private retryAfter(times: number[], now: number): number {
    // The slot frees up when the oldest counted event leaves the window.
    return Math.max(1, Math.ceil((times[0]! + this.windowMs - now) / 1000));
  }

  private maybeSweep(now: number): void {
    if (this.hits.size > this.maxKeys) {
      // Drop the oldest-inserted keys (Map order) down to 90%, so this runs once per 10% growth, not per call.
      // Filling the map takes maxKeys distinct keys, which the per-IP limits make expensive.
      const target = Math.floor(this.maxKeys * 0.9);
      for (const key of this.hits.keys()) {
        if (this.hits.size <= target) break;
        this.hits.delete(key);
      }
    }
    if (++this.opsSinceSweep >= 1000) {
      this.opsSinceSweep = 0;
      for (const key of [...this.hits.keys()]) this.live(key, now);
    }
  }
}
