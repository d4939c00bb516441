// Scenario 3's verdict on one rate step, from its windows.
import { describe, expect, it } from 'vitest';
import { distribution } from '../lib/stats.ts';
import { judgeStep } from './s3-rate-steps.ts';

const usage = (cpu: number) => ({ cpu, cpuPeak: cpu, rssMaxBytes: 0, rssEndBytes: 0 });
function window(p99: number, opts: { missing?: number; driverCpu?: number; savedP99?: number } = {}) {
  // 100 deliveries: 98 at 1 ms, then two at `p99` (the nearest-rank p99 of 100 samples is the 99th).
  const latency = distribution([...Array.from({ length: 98 }, () => 1), p99, p99]);
  const driverCpu = opts.driverCpu ?? 0.5;
  return {
    latency,
    missing: opts.missing ?? 0,
    saturated: driverCpu > 0.9,
    savedAck: opts.savedP99 === undefined ? undefined : distribution([opts.savedP99]),
    server: usage(0.3),
    driver: usage(driverCpu),
  };
}

describe('judgeStep', () => {
  it('passes on the median p99 of the windows: one stalled window does not decide the step', () => {
    const v = judgeStep([window(12, { savedP99: 20 }), window(300, { savedP99: 310 }), window(30, { savedP99: 40 })]);
    expect(v).toEqual({ kind: 'passed', p99: 30, savedP99: 40, serverCpu: 0.3 });
  });

  it('fails when the median p99 is over 50 ms', () => {
    expect(judgeStep([window(12), window(51), window(60)])).toMatchObject({ kind: 'failed', p99: 51 });
  });

  it('fails on a lost delivery in any window, whatever the latencies', () => {
    expect(judgeStep([window(2), window(2, { missing: 1 }), window(2)])).toMatchObject({ kind: 'failed', missing: 1 });
  });

  it('calls the step saturated only when the load generator was saturated in most windows', () => {
    expect(judgeStep([window(80, { driverCpu: 0.95 }), window(90, { driverCpu: 0.97 }), window(5)])).toEqual({ kind: 'saturated', driverCpu: [0.95, 0.97] });
    // One saturated window of three: judged on latency like any other step.
    expect(judgeStep([window(80, { driverCpu: 0.95 }), window(5), window(6)])).toMatchObject({ kind: 'passed', p99: 6 });
  });
});
