// An open-loop schedule: `rate` writes per second spread evenly over the writers, each writer at its own
// phase. One timer chain fires whatever is due, so writers never tick in lock-step (which would create
// false p99 spikes), and a late wake-up fires the overdue writes at once instead of silently dropping them.
import { xorshift32 } from './random.ts';

export interface ScheduleResult {
  fired: number;
  /** How late writes fired relative to their slot, in ms (p99 says whether the driver kept up). */
  lateness: number[];
}

export async function runSchedule(opts: {
  writers: number;
  /** Total writes per second across all writers. */
  rate: number;
  durationMs: number;
  fire: (writer: number, seq: number) => void;
}): Promise<ScheduleResult> {
  const interval = 1000 / opts.rate;
  const total = Math.max(1, Math.floor((opts.durationMs / 1000) * opts.rate));
  const start = performance.now();
  const lateness: number[] = [];
  const seqs = new Array<number>(opts.writers).fill(0);
  let k = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (k < total && start + k * interval <= now) {
        const writer = k % opts.writers;
        lateness.push(now - (start + k * interval));
        opts.fire(writer, ++seqs[writer]!);
        k++;
      }
      if (k >= total) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, start + k * interval - performance.now()));
    };
    tick();
  });
  return { fired: k, lateness };
}

/** Fisher-Yates shuffle with a seeded generator, so runs interleave documents the same way. */
export function shuffled<T>(items: readonly T[], seed = 1): T[] {
  const out = items.slice();
  const next = xorshift32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
