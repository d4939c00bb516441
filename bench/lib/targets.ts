// The targets as checks over the median results. A target whose inputs are missing (a server not
// measured, a saturated run) is "not measured", never passed.
import type { ServerName } from '../servers/types.ts';

export type Medians = Partial<Record<ServerName, Record<string, number>>>;

export interface TargetCheck {
  scenario: number;
  target: string;
  status: 'met' | 'missed' | 'not measured';
  detail: string;
}

const fmt = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? 'n/a' : n >= 100 ? n.toFixed(0) : n.toFixed(1));

function check(scenario: number, target: string, values: (number | undefined)[], ok: () => boolean, detail: string): TargetCheck {
  const measured = values.every((v) => v !== undefined && Number.isFinite(v));
  return { scenario, target, status: !measured ? 'not measured' : ok() ? 'met' : 'missed', detail };
}

export function checkTargets(results: Record<number, Medians>): TargetCheck[] {
  const out: TargetCheck[] = [];
  const m = (s: number, server: ServerName, key: string) => results[s]?.[server]?.[key];
  {
    const ours = m(1, 'ours', 'p99_ms');
    const yws = m(1, 'y-websocket-server', 'p99_ms');
    const hp = m(1, 'hocuspocus', 'p99_ms');
    out.push(check(1, "p99 <= y-websocket-server's", [ours, yws], () => ours! <= yws!, `ours ${fmt(ours)} ms vs ${fmt(yws)} ms`));
    out.push(check(1, "p99 <= 0.5x Hocuspocus's", [ours, hp], () => ours! <= 0.5 * hp!, `ours ${fmt(ours)} ms vs 0.5 x ${fmt(hp)} ms`));
  }
  {
    const ours = m(2, 'ours', 'connect_sync_ms');
    const yws = m(2, 'y-websocket-server', 'connect_sync_ms');
    out.push(check(2, "connect+sync of 1,000 sockets <= y-websocket-server's", [ours, yws], () => ours! <= yws!, `ours ${fmt(ours)} ms vs ${fmt(yws)} ms`));
  }
  {
    const ours = m(3, 'ours', 'max_rate');
    const yws = m(3, 'y-websocket-server', 'max_rate');
    const hp = m(3, 'hocuspocus', 'max_rate');
    const saved = m(3, 'ours', 'saved_p99_ms_at_max');
    // A peer that passed no step gives no reference rate: comparing 0 with 0 would be a vacuous pass.
    const ref = (v: number | undefined) => (v === 0 ? undefined : v);
    out.push(check(3, 'highest rate >= 1.0x y-websocket-server', [ours, ref(yws)], () => ours! >= yws!, `ours ${fmt(ours)}/s vs ${fmt(yws)}/s`));
    out.push(check(3, 'highest rate >= 1.5x Hocuspocus', [ours, ref(hp)], () => ours! >= 1.5 * hp!, `ours ${fmt(ours)}/s vs 1.5 x ${fmt(hp)}/s`));
    out.push(check(3, 'saved-ack p99 <= 50 ms at that rate', [saved], () => saved! <= 50, `ours ${fmt(saved)} ms`));
  }
  {
    const ours = m(4, 'ours', 'per_doc_kb');
    const yws = m(4, 'y-websocket-server', 'per_doc_kb');
    const back = m(4, 'ours', 'after_vs_baseline');
    out.push(check(4, "RSS per loaded doc <= y-websocket-server's", [ours, yws], () => ours! <= yws!, `ours ${fmt(ours)} kB vs ${fmt(yws)} kB`));
    out.push(check(4, 'RSS back to baseline +-10% after unload', [back], () => back! >= 0.9 && back! <= 1.1, `ours after/baseline = ${back?.toFixed(2) ?? 'n/a'}`));
  }
  {
    const ours = m(5, 'ours', 'cold_connect_sync_ms');
    out.push(check(5, 'connect to synced <= 150 ms (2,000 tasks, 100,000-update history)', [ours], () => ours! <= 150, `ours ${fmt(ours)} ms`));
  }
  {
    const ours = m(6, 'ours', 'p99_ms');
    out.push(check(6, 'REST filtered page p99 <= 25 ms (100,000 tasks)', [ours], () => ours! <= 25, `ours ${fmt(ours)} ms`));
  }
  {
    // Cold open: median of the offline cold opens of a run; move: p50 of its keyboard moves (max in the detail).
    const open = m(7, 'ours', 'cold_open_ms');
    const openMax = m(7, 'ours', 'cold_open_max_ms');
    const move = m(7, 'ours', 'move_p50_ms');
    const moveMax = m(7, 'ours', 'move_max_ms');
    out.push(check(7, 'offline cold open to first card painted <= 1.5 s (5,000 tasks)', [open], () => open! <= 1500, `ours ${fmt(open)} ms (max ${fmt(openMax)} ms)`));
    out.push(check(7, 'keyboard move to repaint <= 50 ms (5,000 tasks)', [move], () => move! <= 50, `ours p50 ${fmt(move)} ms (max ${fmt(moveMax)} ms)`));
  }
  return out;
}
