// Seeded convergence fuzz [DM12]: a fixed seed set runs in `npm test`; FUZZ_SEEDS=5000 runs thousands more
// (FUZZ_SEED_START shifts the range). A seed that ever failed is added to REGRESSION_SEEDS with what it broke.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FUZZ, runFuzz } from './test/fuzz.ts';

const FIXED_SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
/** Seeds that once failed, each with the bug it caught. */
const REGRESSION_SEEDS: { seed: number; caught: string }[] = [
  { seed: 7, caught: "incremental projection dropped a task's tag links when its status overwrite arrived before the new value" },
  { seed: 40, caught: "incremental projection dropped a task's tag links when its status overwrite arrived before the new value" },
];

const extra = Number(process.env.FUZZ_SEEDS ?? 0);
const start = Number(process.env.FUZZ_SEED_START ?? 1000);

function expectConverges(seed: number): void {
  const result = runFuzz(seed, DEFAULT_FUZZ);
  expect(result.violations, `seed ${seed}`).toEqual([]);
  expect(result.applied, `seed ${seed} applied too few operations to mean anything`).toBeGreaterThan(DEFAULT_FUZZ.operations / 2);
}

describe('[DM12] convergence under a seeded unreliable network', () => {
  it.each(FIXED_SEEDS)('[DM1][DM2][DM7][DM11][DM12] seed %i: 5 replicas converge with invariants intact', (seed) => {
    expectConverges(seed);
  });

  for (const { seed, caught } of REGRESSION_SEEDS) {
    it(`[DM12] regression seed ${seed}: ${caught}`, () => expectConverges(seed));
  }

  it.runIf(extra > 0)(`[DM12] ${extra} extra seeds from ${start} (FUZZ_SEEDS)`, () => {
    const failed: number[] = [];
    for (let seed = start; seed < start + extra; seed++) {
      const { violations } = runFuzz(seed, DEFAULT_FUZZ);
      if (violations.length > 0) {
        failed.push(seed);
        console.error(`seed ${seed}:\n  ${violations.join('\n  ')}`);
      }
    }
    expect(failed).toEqual([]);
  }, 3_600_000);
});
