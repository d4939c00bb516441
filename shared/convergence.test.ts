// Seeded convergence fuzz [DM12]: a fixed seed set runs in `npm test`; FUZZ_SEEDS=5000 runs thousands more
// (FUZZ_SEED_START shifts the range). A seed that ever failed is added to REGRESSION_SEEDS with what it broke.
import { describe, expect, it } from 'vitest';
import { createTask, getDescription, readTask } from './doc-model.ts';
import { DEFAULT_FUZZ, runFuzz, type FuzzOptions } from './test/fuzz.ts';
import { TestNetwork, nothingPending } from './test/network.ts';
import { createRng } from './test/prng.ts';

const FIXED_SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
/** Seeds that once failed, each with the bug it caught and the fuzz options it failed under (exact replay). */
const REGRESSION_SEEDS: { seed: number; caught: string; options: FuzzOptions }[] = [
  {
    seed: 7,
    caught: "incremental projection dropped a task's tag links when its status overwrite arrived before the new value",
    options: { ...DEFAULT_FUZZ, tieProneReplicas: 0 },
  },
  {
    seed: 40,
    caught: "incremental projection dropped a task's tag links when its status overwrite arrived before the new value",
    options: { ...DEFAULT_FUZZ, tieProneReplicas: 0 },
  },
];

const extra = Number(process.env.FUZZ_SEEDS ?? 0);
const start = Number(process.env.FUZZ_SEED_START ?? 1000);

function expectConverges(seed: number, options: FuzzOptions = DEFAULT_FUZZ): void {
  const result = runFuzz(seed, options);
  expect(result.violations, `seed ${seed}`).toEqual([]);
  expect(result.applied, `seed ${seed} applied too few operations to mean anything`).toBeGreaterThan(DEFAULT_FUZZ.operations / 2);
  // The run must have exercised the unreliable paths it claims to.
  const { dropped, duplicated, leftPending } = result.network;
  expect(Math.min(dropped, duplicated, leftPending), `seed ${seed} never dropped, duplicated or left an update pending`).toBeGreaterThan(0);
}

describe('[DM12] convergence under a seeded unreliable network', () => {
  it.each(FIXED_SEEDS)('[DM1][DM2][DM7][DM11][DM12] seed %i: 5 replicas converge with invariants intact', (seed) => {
    expectConverges(seed);
  });

  for (const { seed, caught, options } of REGRESSION_SEEDS) {
    it(`[DM11][DM12] regression seed ${seed}: ${caught}`, () => expectConverges(seed, options));
  }

  it.each([1, 2, 3])('[DM5][DM12] seed %i: concurrent typing into one description by 5 replicas keeps every fragment', (seed) => {
    const rng = createRng(seed);
    const net = new TestNetwork(5, rng.fork());
    const id = createTask(net.docs[0], { title: 'shared' });
    net.settle();
    const fragments: string[] = [];
    for (let n = 0; n < 120; n++) {
      const r = rng.int(0, 4);
      const text = getDescription(net.docs[r], id);
      const fragment = `<${r}.${n}>`;
      // Insert only between fragments, so no fragment is split by another.
      const cuts = [0, ...[...(text?.toString() ?? '').matchAll(/>/g)].map((m) => (m.index ?? 0) + 1)];
      text?.insert(rng.pick(cuts), fragment);
      fragments.push(fragment);
      for (let s = rng.int(0, 3); s > 0; s--) net.step();
      if (rng.bool(0.03)) net.disconnect(rng.int(0, 4));
      if (rng.bool(0.05)) net.reconnect(rng.int(0, 4));
    }
    net.settle();
    const final = readTask(net.docs[0], id)?.description ?? '';
    for (const f of fragments) expect(final).toContain(f);
    expect(final.length).toBe(fragments.join('').length);
    for (const doc of net.docs) {
      expect(readTask(doc, id)?.description).toBe(final);
      expect(nothingPending(doc)).toBe(true);
    }
    net.destroy();
  });

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
