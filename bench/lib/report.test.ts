// The report's arithmetic: which runs and metrics make a median, and when a target counts as measured.
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../scenarios/types.ts';
import { buildReport, renderMarkdown, summarize, type ScenarioOutcome } from './report.ts';
import { percentile, spread } from './stats.ts';

const run = (metrics: Record<string, number>, extra: Partial<RunRecord> = {}): RunRecord => ({ metrics, saturated: false, notes: [], ...extra });

function outcome(id: number, servers: ScenarioOutcome['servers']): ScenarioOutcome {
  return { id, title: `scenario ${id}`, servers };
}

describe('stats', () => {
  it('takes percentiles by nearest rank, always an observed value', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 99)).toBe(10);
    expect(percentile([], 50)).toBeNaN();
  });

  it('spreads only finite values but counts every run', () => {
    expect(spread([30, Number.NaN, 10, 20])).toEqual({ median: 20, min: 10, max: 30, runs: 4 });
    expect(spread([4, 1])).toEqual({ median: 2.5, min: 1, max: 4, runs: 2 });
    expect(spread([Number.NaN]).median).toBeNaN();
  });
});

describe('summarize', () => {
  it('leaves a saturated run out of every median', () => {
    const s = summarize(outcome(1, { ours: { runs: [run({ p99_ms: 10 }), run({ p99_ms: 500 }, { saturated: true }), run({ p99_ms: 12 })], errors: [] } }));
    expect(s.ours?.p99_ms).toEqual({ median: 11, min: 10, max: 12, runs: 2 });
  });

  it('leaves a saturated metric out of its median only, keeping the run for the others', () => {
    const runs = [
      run({ connect_sync_ms: 5000, p50_ms: 2 }, { saturatedMetrics: ['connect_sync_ms'] }),
      run({ connect_sync_ms: 1800, p50_ms: 4 }),
      run({ connect_sync_ms: 2000, p50_ms: 3 }),
    ];
    const s = summarize(outcome(2, { ours: { runs, errors: [] } }));
    expect(s.ours?.connect_sync_ms).toMatchObject({ median: 1900, min: 1800, max: 2000 });
    expect(s.ours?.p50_ms).toMatchObject({ median: 3, min: 2, max: 4 });
  });
});

describe('buildReport targets', () => {
  const report = (outcomes: ScenarioOutcome[]) => buildReport(outcomes, { startedAt: new Date(0), quick: false, pinned: true, reniced: true });
  const target = (r: ReturnType<typeof report>, scenario: number) => r.targets.filter((t) => t.scenario === scenario);

  it('judges a target on the usable runs', () => {
    const r = report([
      outcome(2, {
        ours: { runs: [run({ connect_sync_ms: 1500 }), run({ connect_sync_ms: 1700 })], errors: [] },
        'y-websocket-server': { runs: [run({ connect_sync_ms: 1600 })], errors: [] },
      }),
    ]);
    expect(target(r, 2)[0]).toMatchObject({ status: 'met', detail: 'ours 1600 ms vs 1600 ms' });
  });

  it('reports a target measured only while the load generator was saturated as not measured, never met', () => {
    const r = report([
      outcome(2, {
        ours: { runs: [run({ connect_sync_ms: 100 }, { saturatedMetrics: ['connect_sync_ms'] })], errors: [] },
        'y-websocket-server': { runs: [run({ connect_sync_ms: 1600 })], errors: [] },
      }),
    ]);
    expect(target(r, 2)[0]?.status).toBe('not measured');
    const md = renderMarkdown(r);
    expect(md).toContain('ours run 1: load generator saturated while measuring connect_sync_ms: excluded from the median');
  });

  it('never passes a rate ratio against a peer that passed no step', () => {
    const r = report([
      outcome(3, {
        ours: { runs: [run({ max_rate: 0, saved_p99_ms_at_max: 10 })], errors: [] },
        'y-websocket-server': { runs: [run({ max_rate: 0 })], errors: [] },
        hocuspocus: { runs: [run({ max_rate: 1000 })], errors: [] },
      }),
    ]);
    const [yws, hp] = target(r, 3);
    expect(yws?.status).toBe('not measured');
    expect(hp?.status).toBe('missed');
  });
});
