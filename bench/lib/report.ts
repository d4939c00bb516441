// Results file (JSON, every run) and the markdown table (medians with min-max, ratios ours/peer).
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, release } from 'node:os';
import type { RunRecord } from '../scenarios/types.ts';
import type { ServerName } from '../servers/types.ts';
import { spread, type Spread } from './stats.ts';
import { checkTargets, type Medians, type TargetCheck } from './targets.ts';

export interface ScenarioOutcome {
  id: number;
  title: string;
  servers: Partial<Record<ServerName, { runs: RunRecord[]; errors: string[] }>>;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  machine: Record<string, string | number>;
  scenarios: (ScenarioOutcome & { summary: Partial<Record<ServerName, Record<string, Spread>>> })[];
  targets: TargetCheck[];
}

export function describeMachine(pinned: boolean, reniced: boolean): Record<string, string | number> {
  let postgres = 'unknown';
  try {
    postgres = execFileSync('psql', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // psql is optional: the report just says unknown.
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
    node: process.version,
    postgres,
    priority: reniced ? 'bench session (autogroup) and its processes at nice -10; PostgreSQL at its default priority' : 'default priority',
    pinning: pinned ? 'servers on core 0, load generator on core 1 (taskset)' : 'taskset unavailable: not pinned',
  };
}

export function summarize(outcome: ScenarioOutcome): Partial<Record<ServerName, Record<string, Spread>>> {
  const out: Partial<Record<ServerName, Record<string, Spread>>> = {};
  for (const [server, data] of Object.entries(outcome.servers) as [ServerName, { runs: RunRecord[] }][]) {
    // Saturated runs measured the load generator: they stay in the JSON but not in the medians.
    // So are single metrics measured in a phase that saturated it (their runs count in the spread's run total).
    const usable = data.runs.filter((r) => !r.saturated);
    const keys = new Set(usable.flatMap((r) => Object.keys(r.metrics)));
    const value = (r: RunRecord, k: string) => (r.saturatedMetrics?.includes(k) ? Number.NaN : (r.metrics[k] ?? Number.NaN));
    out[server] = Object.fromEntries([...keys].map((k) => [k, spread(usable.map((r) => value(r, k)))]));
  }
  return out;
}

export function buildReport(outcomes: ScenarioOutcome[], opts: { startedAt: Date; quick: boolean; pinned: boolean; reniced: boolean }): BenchReport {
  const scenarios = outcomes.map((o) => ({ ...o, summary: summarize(o) }));
  const medians: Record<number, Medians> = {};
  for (const s of scenarios) {
    medians[s.id] = Object.fromEntries(
      Object.entries(s.summary).map(([server, metrics]) => [server, Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, v.median]))]),
    );
  }
  return {
    startedAt: opts.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick: opts.quick,
    machine: describeMachine(opts.pinned, opts.reniced),
    scenarios,
    targets: checkTargets(medians),
  };
}

const num = (n: number) => (!Number.isFinite(n) ? 'n/a' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));
const cell = (s: Spread | undefined) => (!s || !Number.isFinite(s.median) ? 'n/a' : s.runs > 1 ? `${num(s.median)} [${num(s.min)}-${num(s.max)}]` : num(s.median));

export function renderMarkdown(report: BenchReport): string {
  const order: ServerName[] = ['ours', 'y-websocket-server', 'hocuspocus'];
  const lines: string[] = [];
  lines.push(`# Bench results ${report.startedAt}${report.quick ? ' (quick mode: smoke only, not a measurement)' : ''}`, '');
  lines.push('Machine: ' + Object.entries(report.machine).map(([k, v]) => `${k}: ${v}`).join('; '), '');
  lines.push('Cells: median [min-max] over the runs; ratios are ours / peer on the medians.', '');
  for (const s of report.scenarios) {
    const servers = order.filter((n) => s.servers[n]);
    lines.push(`## ${s.id}. ${s.title}`, '');
    const peers = servers.filter((n) => n !== 'ours');
    const hasOurs = servers.includes('ours');
    const header = ['metric', ...servers, ...(hasOurs ? peers.map((p) => `ours/${p}`) : [])];
    lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
    const keys = [...new Set(servers.flatMap((n) => Object.keys(s.summary[n] ?? {})))];
    for (const key of keys) {
      const row = [key, ...servers.map((n) => cell(s.summary[n]?.[key]))];
      if (hasOurs) {
        for (const p of peers) {
          const a = s.summary.ours?.[key]?.median;
          const b = s.summary[p]?.[key]?.median;
          row.push(a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}x` : 'n/a');
        }
      }
      lines.push(`| ${row.join(' | ')} |`);
    }
    const notes = servers.flatMap((n) => [
      ...(s.servers[n]?.errors ?? []).map((e) => `${n}: ERROR ${e}`),
      ...(s.servers[n]?.runs ?? []).flatMap((r, i) => [
        ...r.notes,
        ...(r.saturated ? ['load generator saturated: run excluded'] : []),
        ...(!r.saturated && r.saturatedMetrics?.length ? [`load generator saturated while measuring ${r.saturatedMetrics.join(', ')}: excluded from the median`] : []),
      ].map((t) => `${n} run ${i + 1}: ${t}`)),
    ]);
    if (notes.length) lines.push('', ...[...new Set(notes)].map((n) => `- ${n}`));
    lines.push('');
  }
  lines.push('## Targets', '', '| # | target | status | detail |', '|---|---|---|---|');
  for (const t of report.targets) lines.push(`| ${t.scenario} | ${t.target} | ${t.status.toUpperCase()} | ${t.detail} |`);
  lines.push('');
  return lines.join('\n');
}
