// Summary of a V8 .cpuprofile (from `node --cpu-prof`): where the server spent its CPU during a scenario.
// Self time per function (file:line), inclusive time per function, and the share spent idle, in GC and in
// our own code versus dependencies, so a missed target is explained by a profile rather than a guess.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export interface ProfileEntry {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  gcMs: number;
  /** Busy time (not idle) attributed to files of this repository, excluding node_modules. */
  ownCodeMs: number;
  self: ProfileEntry[];
  inclusive: ProfileEntry[];
}

function label(frame: { functionName: string; url: string; lineNumber: number }, root: string): string {
  const url = frame.url.replace(/^file:\/\//, '').replace(root, '');
  const file = url.includes('node_modules/') ? url.slice(url.lastIndexOf('node_modules/') + 13) : url;
  return `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
}

export function summarizeProfile(path: string, opts: { root?: string; top?: number; skipMs?: number; untilMs?: number } = {}): ProfileSummary {
  const root = opts.root ?? process.cwd() + '/';
  const top = opts.top ?? 15;
  const profile = profileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Start-up (module loading, migrations) is not the scenario: samples before skipMs are left out, and so are
  // samples after untilMs (to look at one phase, such as scenario 2's connects).
  const selfUs = new Map<number, number>();
  let elapsedUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    elapsedUs += delta;
    if (elapsedUs >= (opts.skipMs ?? 0) * 1000 && elapsedUs <= (opts.untilMs ?? Infinity) * 1000) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });

  let total = 0;
  let idle = 0;
  let gc = 0;
  let own = 0;
  const selfByName = new Map<string, number>();
  const inclByName = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    total += us;
    const fn = node.callFrame.functionName;
    if (fn === '(idle)') {
      idle += us;
      continue;
    }
    if (fn === '(garbage collector)') gc += us;
    const name = label(node.callFrame, root);
    selfByName.set(name, (selfByName.get(name) ?? 0) + us);
    // Inclusive: credit every distinct function on the stack once.
    const seen = new Set<string>();
    let ownStack = false;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      if (frame.url.includes(root) && !frame.url.includes('node_modules')) ownStack = true;
      const n = label(frame, root);
      if (seen.has(n) || n === '(root)') continue;
      seen.add(n);
      inclByName.set(n, (inclByName.get(n) ?? 0) + us);
    }
    if (ownStack) own += us;
  }
  const busy = total - idle || 1;
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / busy }));
  return { totalMs: total / 1000, idleMs: idle / 1000, gcMs: gc / 1000, ownCodeMs: own / 1000, self: rank(selfByName), inclusive: rank(inclByName) };
}

export function renderProfile(summary: ProfileSummary, title: string): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const busy = summary.totalMs - summary.idleMs;
  const lines = [
    `### ${title}`,
    '',
    `Profiled ${(summary.totalMs / 1000).toFixed(1)} s: busy ${(busy / 1000).toFixed(2)} s (${pct(busy / summary.totalMs)}), GC ${(summary.gcMs / 1000).toFixed(2)} s, stacks through our code ${pct(summary.ownCodeMs / (busy || 1))} of busy.`,
    '',
    '| self ms | share of busy | function |',
    '|---|---|---|',
    ...summary.self.map((e) => `| ${e.ms.toFixed(0)} | ${pct(e.share)} | \`${e.name}\` |`),
    '',
    '| inclusive ms | share of busy | function |',
    '|---|---|---|',
    ...summary.inclusive.map((e) => `| ${e.ms.toFixed(0)} | ${pct(e.share)} | \`${e.name}\` |`),
    '',
  ];
  return lines.join('\n');
}
