// Scenario 7: the real client in Debian's Chromium on a board of 5,000 tasks (ours only).
// Seed: a project made through the REST API, its document written through the shared doc model by a team
// of members (bench/lib/board-seed.ts) and pushed to the server by a y-websocket client, as devices do.
// The browser user signs in through the login form; the board is opened online once (the client stores
// the document in IndexedDB and the service worker precaches the app), then the network goes off and the
// board is opened cold in a new page several times: navigation start -> first task card painted, from the
// Element Timing API (the card title carries elementtiming="task-card"; its renderTime is the frame that
// painted it, relative to navigation start). Then, online, cards are moved one column right with the
// keyboard (drag handle: Space, ArrowRight, Space): the drop key's keydown timestamp -> the frame that
// painted the card in the target column (again its Element Timing entry).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import * as Y from 'yjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.ts';
import { ensureClientBuilt } from '../../scripts/client-build.mjs';
import { cachedBoardSeed, type BoardSeed } from '../lib/board-seed.ts';
import { symbolicateProfile } from '../lib/browser-profile.ts';
import { sleep } from '../lib/schedule.ts';
import { distribution } from '../lib/stats.ts';
import type { OursServer } from '../servers/ours.ts';
import type { BenchServer } from '../servers/types.ts';
import type { Scenario } from './types.ts';

/** Served by ours in this scenario: its own build, so a `vite build` elsewhere cannot empty it mid-run. */
const BENCH_CLIENT_DIR = 'dist/bench-client';
const PASSWORD = 'correct horse battery staple';
const COLUMN_NAMES = { TODO: 'To do', IN_PROGRESS: 'In progress', IN_REVIEW: 'In review', DONE: 'Done' } as const;
type Column = keyof typeof COLUMN_NAMES;
const MOVE_FROM: Column[] = ['TODO', 'IN_PROGRESS', 'IN_REVIEW'];
const NEXT: Record<Column, Column> = { TODO: 'IN_PROGRESS', IN_PROGRESS: 'IN_REVIEW', IN_REVIEW: 'DONE', DONE: 'DONE' };

/**
 * The browser is what this scenario measures, as a user's machine runs it: on every core, not on the load
 * generator's one core that the harness pinned this process (and so its children) to. A wrapper resets the
 * CPU affinity and execs Chromium; Playwright passes its arguments through.
 */
function unpinnedChromium(dir: string): string {
  const chromiumPath = CHROMIUM_PATH;
  const wrapper = join(dir, 'chromium');
  writeFileSync(wrapper, `#!/bin/sh\nexec taskset -c 0-${cpus().length - 1} ${JSON.stringify(chromiumPath)} "$@"\n`, { mode: 0o755 });
  return wrapper;
}

interface Sizes {
  tasks: number;
  coldOpens: number;
  moves: number;
}
const sizes = (quick: boolean): Sizes => (quick ? { tasks: 300, coldOpens: 2, moves: 3 } : { tasks: 5000, coldOpens: 5, moves: 10 });

const COLD_OPEN_PAINTED = 'fieldboard-bench: first task card painted';

/** Runs in every page before the app: records the first painted task card (Element Timing) and its DOM insert. */
function installColdOpenProbe(paintedMessage: string): void {
  interface ElementEntry extends PerformanceEntry {
    identifier: string;
    renderTime: number;
    loadTime: number;
  }
  const probe: { firstCardPaint: number | null; firstCardInDom: number | null; interactive: number | null } = { firstCardPaint: null, firstCardInDom: null, interactive: null };
  (window as unknown as { __s7: typeof probe }).__s7 = probe;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as ElementEntry[]) {
      if (entry.identifier !== 'task-card' || probe.firstCardPaint !== null) continue;
      probe.firstCardPaint = entry.renderTime || entry.loadTime;
      // The harness learns of it from this console message (CDP), not by polling the page: polling would
      // inject Playwright's utility script into the page being measured (~120 ms of its main thread, in the
      // middle of the cold open, in a trace of one).
      console.info(paintedMessage);
    }
  }).observe({ type: 'element', buffered: true });
  // Cards in the DOM, and the board interactive: cards shown and no longer aria-busy (a stored preview is
  // shown inert while the document loads; see client/src/db/board-preview.ts).
  const mo = new MutationObserver(() => {
    const card = document.querySelector('[elementtiming="task-card"]');
    if (card && probe.firstCardInDom === null) probe.firstCardInDom = performance.now();
    if (card && !document.querySelector('[aria-busy="true"]')) {
      probe.interactive = performance.now();
      mo.disconnect();
    }
  });
  mo.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-busy'] });
}

async function api<T>(context: BrowserContext, url: string, init: { method?: string; token?: string; data?: unknown; expect: number }): Promise<T> {
  const res = await context.request.fetch(url, {
    method: init.method ?? 'POST',
    headers: { 'X-Requested-With': 'fieldboard', ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
    ...(init.data !== undefined ? { data: init.data } : {}),
  });
  if (res.status() !== init.expect) throw new Error(`${init.method ?? 'POST'} ${url}: HTTP ${res.status()} (expected ${init.expect}): ${(await res.text()).slice(0, 300)}`);
  return ((await res.json()) as { data: T }).data;
}

/**
 * Pushes the seed's updates through a y-websocket client, one batch at a time: each is sent once the server
 * has acknowledged the previous one as saved, as a team's edits arrive over time. (Sent all at once they are
 * saved too, in 6.6 s for the 34 batches of the 5,000-task board: the group commit passes rows as JSON
 * parameters, so PostgreSQL's limit of 65,535 parameters per statement, which once refused such a commit,
 * no longer applies. Applied in ONE transaction they would make a single frame over the server's 1 MiB limit,
 * which a stock client cannot split; our client does, client/src/sync/frame-splitter.ts.)
 */
async function pushSeed(server: BenchServer, projectId: string, token: string, seed: BoardSeed): Promise<number> {
  const t0 = performance.now();
  const client = server.connect({ name: projectId, tokens: [token] }, 0, new Y.Doc());
  try {
    await Promise.race([client.synced, sleep(30_000).then(() => Promise.reject(new Error('seeding client did not sync within 30 s')))]);
    let saved = new Map<number, number>();
    let savedAny = false;
    client.onSaved?.((sv) => {
      saved = sv;
      savedAny = true;
    });
    for (const [i, update] of seed.updates.entries()) {
      Y.applyUpdate(client.doc, update);
      const want = Y.decodeStateVector(Y.encodeStateVector(client.doc));
      const deadline = performance.now() + 60_000;
      while (![...want].every(([id, clock]) => (saved.get(id) ?? 0) >= clock)) {
        if (performance.now() > deadline) {
          // The harness keeps an error's first line only: the progress and the server's last log lines go there.
          const tail = server.output().trim().split('\n').slice(-3).join(' | ').slice(-1200);
          throw new Error(`the server did not acknowledge batch ${i + 1} of ${seed.updates.length} of the seeded board as saved within 60 s${savedAny ? '' : ' (no saved message at all)'}; server log: ${tail}`);
        }
        await sleep(20);
      }
    }
  } finally {
    client.destroy();
  }
  return performance.now() - t0;
}

/** Bytes of the project's document rows in the user's IndexedDB (what an offline open has to read). */
function storedDocBytes(page: Page, userId: string, projectId: string): Promise<number> {
  return page.evaluate(
    ({ userId, projectId }) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(`fieldboard-${userId}`);
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction('docUpdates').objectStore('docUpdates').index('projectId').getAll(projectId);
          req.onerror = () => reject(new Error(String(req.error)));
          req.onsuccess = () => {
            db.close();
            resolve((req.result as { update: ArrayBufferView }[]).reduce((sum, row) => sum + row.update.byteLength, 0));
          };
        };
      }),
    { userId, projectId },
  );
}

export async function expectColumnCounts(page: Page, columns: Record<Column, number>, timeoutMs: number): Promise<void> {
  const want = JSON.stringify(columns);
  try {
    await page.waitForFunction(
      (want: string) => {
        const expected = JSON.parse(want) as Record<string, number>;
        return Object.entries(expected).every(([status, n]) => document.querySelector(`section[data-status="${status}"] .column-count`)?.textContent === String(n));
      },
      want,
      { timeout: timeoutMs },
    );
  } catch {
    const seen = await page.evaluate(() => [...document.querySelectorAll('section[data-status]')].map((s) => `${s.getAttribute('data-status')}=${s.querySelector('.column-count')?.textContent}`).join(' '));
    throw new Error(`the board did not show the seeded columns within ${timeoutMs} ms: want ${want}, shows ${seen || 'no columns'}`);
  }
}

export async function waitAllSaved(page: Page, timeoutMs: number): Promise<void> {
  await page.getByTestId('sync-status').filter({ hasText: /All changes saved/ }).waitFor({ timeout: timeoutMs });
}

interface ColdOpen {
  /** Navigation start -> first task card painted (Element Timing renderTime). */
  paint: number;
  /** Navigation start -> first task card inserted into the DOM. */
  dom: number;
  /** Navigation start -> the board is live (document loaded, cards can be moved). */
  interactive: number;
  domContentLoaded: number;
  /** Navigation start -> the page's HTML received (from the service worker, offline). */
  htmlLoaded: number;
  /** Navigation start -> the scripts the HTML asks for received (the last of them). */
  scriptsLoaded: number;
  /** The client's start-up marks ('fb:' dropped): modules-evaluated, doc-session-start, preview-read, board-committed, doc-read, doc-applied. */
  marks: Record<string, number>;
  /** Task cards in the DOM once the board is complete (the virtualized columns render only what shows). */
  cards: number;
}

/** One offline cold open in a new page of the same profile (IndexedDB and the service worker survive). */
async function coldOpen(context: BrowserContext, url: string, columns: Record<Column, number>, profileDir: string | undefined): Promise<ColdOpen> {
  const page = await context.newPage();
  const stopProfile = profileDir ? await startProfile(page, context) : null;
  try {
    const painted = page.waitForEvent('console', { predicate: (m) => m.text() === COLD_OPEN_PAINTED, timeout: 60_000 });
    await page.goto(url, { waitUntil: 'commit' });
    await painted;
    const probe = await page.evaluate(() => (window as unknown as { __s7?: { firstCardPaint: number | null; firstCardInDom: number | null; interactive: number | null } }).__s7 ?? null);
    if (!probe || probe.firstCardPaint === null || probe.firstCardPaint <= 0) throw new Error('no Element Timing entry for a task card (is elementtiming="task-card" on the card title?)');
    await expectColumnCounts(page, columns, 30_000);
    const interactive = await page
      .waitForFunction(() => (window as unknown as { __s7: { interactive: number | null } }).__s7.interactive, undefined, { timeout: 60_000, polling: 50 })
      .then((h) => h.jsonValue() as Promise<number>);
    const after = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      // The scripts the HTML asks for (requested while it is parsed, so before DOMContentLoaded): what a
      // cold open fetches, then compiles and evaluates, before any of our code runs.
      const parsedAt = nav?.domInteractive ?? Number.POSITIVE_INFINITY;
      const scripts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => r.name.endsWith('.js') && r.startTime <= parsedAt);
      return {
        domContentLoaded: nav?.domContentLoadedEventEnd ?? Number.NaN,
        htmlLoaded: nav?.responseEnd ?? Number.NaN,
        scriptsLoaded: scripts.length ? Math.max(...scripts.map((r) => r.responseEnd)) : Number.NaN,
        // The client's own start-up marks (client/src/main.tsx, sync/project-doc-session.ts, board-screen.tsx),
        // the first of each name.
        marks: Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('fb:')).reverse().map((m) => [m.name.slice(3), m.startTime])) as Record<string, number>,
        cards: document.querySelectorAll('[elementtiming="task-card"]').length,
      };
    });
    if (stopProfile) {
      await sleep(300);
      await stopProfile(join(profileDir!, 'cold-open.cpuprofile'));
    }
    // Let the work scheduled after first paint (task index check, storage) finish before the page closes.
    await sleep(1000);
    return { paint: probe.firstCardPaint, dom: probe.firstCardInDom ?? Number.NaN, interactive, ...after };
  } finally {
    await page.close();
  }
}

/** Arms the probe for one keyboard drop: resolves with keydown -> commit and keydown -> paint of `taskId` in `status`. */
function armMoveProbe(page: Page, taskId: string, status: Column): Promise<void> {
  return page.evaluate(
    ({ taskId, status }) => {
      interface ElementEntry extends PerformanceEntry {
        identifier: string;
        renderTime: number;
        loadTime: number;
        element: Element | null;
      }
      const w = window as unknown as { __s7move?: Promise<{ paint: number; commit: number }> };
      w.__s7move = new Promise((resolve, reject) => {
        let keyAt: number | null = null;
        let commitAt: number | null = null;
        const inTarget = (el: Element | null) => !!el?.closest(`section[data-status="${status}"]`) && el.closest('article')?.getAttribute('data-task-id') === taskId;
        const onKey = (event: KeyboardEvent) => {
          if (keyAt === null && (event.key === ' ' || event.key === 'Enter')) keyAt = event.timeStamp;
        };
        window.addEventListener('keydown', onKey, { capture: true });
        const mo = new MutationObserver(() => {
          if (commitAt === null && inTarget(document.querySelector(`section[data-status="${status}"] article[data-task-id="${taskId}"] [elementtiming]`))) commitAt = performance.now();
        });
        mo.observe(document.body, { childList: true, subtree: true });
        const finish = (error: Error | null, paint?: number) => {
          window.removeEventListener('keydown', onKey, { capture: true });
          mo.disconnect();
          po.disconnect();
          clearTimeout(timer);
          if (error) reject(error);
          else resolve({ paint: paint! - keyAt!, commit: (commitAt ?? Number.NaN) - keyAt! });
        };
        const po = new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as ElementEntry[]) {
            if (entry.identifier !== 'task-card' || !inTarget(entry.element)) continue;
            if (keyAt === null) return finish(new Error('the card was painted in the target column before the drop key'));
            return finish(null, entry.renderTime || entry.loadTime);
          }
        });
        po.observe({ type: 'element' });
        const timer = setTimeout(() => finish(new Error(`card ${taskId} was not painted in ${status} within 10 s of the drop key`)), 10_000);
      });
    },
    { taskId, status },
  );
}

export async function keyboardMove(page: Page, from: Column, beforeDrop?: () => Promise<void>): Promise<{ paint: number; commit: number }> {
  const to = NEXT[from];
  const card = page.locator(`section[data-status="${from}"] li.virtual-row[data-index="1"] article`);
  const taskId = await card.getAttribute('data-task-id', { timeout: 10_000 });
  const title = await card.getAttribute('aria-label');
  if (!taskId || !title) throw new Error(`no second card in ${COLUMN_NAMES[from]} to move`);
  await card.locator('.drag-handle').focus();
  await page.keyboard.press('Space');
  await page.getByText(`Picked up task ${title} in ${COLUMN_NAMES[from]}`).waitFor({ state: 'attached', timeout: 10_000 });
  // dnd-kit's KeyboardSensor listens for arrow keys only from a setTimeout(0) after the pick-up, which the
  // announcement can precede: an arrow sent at once was lost now and then. A timer queued now runs after it.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  await page.keyboard.press('ArrowRight');
  try {
    await page.getByText(`Task ${title} is over ${COLUMN_NAMES[to]}`).waitFor({ state: 'attached', timeout: 10_000 });
  } catch {
    throw new Error(`ArrowRight did not take "${title}" over ${COLUMN_NAMES[to]}`);
  }
  await armMoveProbe(page, taskId, to);
  await beforeDrop?.();
  await page.keyboard.press('Space');
  return page.evaluate(() => (window as unknown as { __s7move: Promise<{ paint: number; commit: number }> }).__s7move);
}

/** Starts the CPU profiler of the page's main thread; the returned function writes a symbolicated .cpuprofile. */
async function startProfile(page: Page, context: BrowserContext) {
  const cdp = await context.newCDPSession(page);
  if (process.env.BENCH_BROWSER_TRACE) {
    // A Chrome trace instead (every thread of the browser: compile, IndexedDB, layout, paint, and the
    // client's fb: marks), written next to where the profile would go as *.trace.json: open it in
    // chrome://tracing or Perfetto.
    await cdp.send('Tracing.start', {
      transferMode: 'ReturnAsStream',
      traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'v8', 'blink.user_timing', 'loading', 'toplevel', 'disabled-by-default-v8.compile', 'IndexedDB', 'ServiceWorker'] },
    });
    return async (file: string) => {
      const complete = new Promise<{ stream?: string }>((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      const { stream } = await complete;
      if (!stream) throw new Error('the trace came back without a stream');
      const chunks: string[] = [];
      for (;;) {
        const { data, eof } = await cdp.send('IO.read', { handle: stream });
        chunks.push(data);
        if (eof) break;
      }
      await cdp.send('IO.close', { handle: stream });
      writeFileSync(file.replace(/\.cpuprofile$/, '.trace.json'), chunks.join(''));
      await cdp.detach();
    };
  }
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return async (file: string) => {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(file, JSON.stringify(symbolicateProfile(profile, BENCH_CLIENT_DIR)));
    await cdp.detach();
  };
}

export interface SeededBoard {
  context: BrowserContext;
  boardUrl: string;
  userId: string;
  projectId: string;
  /** Bytes of the document the client stored in IndexedDB. */
  storedBytes: number;
  browserVersion: string;
  close(): Promise<void>;
}

/**
 * Everything before the measurements: a browser profile, a user (REST), a project with the seed's team as
 * members, the seed pushed over y-websocket, sign-in through the form, and one online open of the board
 * that leaves the document in IndexedDB and the app precached. Exported for ad-hoc profiling scripts.
 */
export async function openSeededBoard(server: OursServer, seed: BoardSeed, log: (m: string) => void): Promise<SeededBoard> {
  const base = `http://127.0.0.1:${server.port}`;
  const workDir = mkdtempSync(join(tmpdir(), 'fb-bench-chromium-'));
  const userDataDir = join(workDir, 'profile');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: unpinnedChromium(workDir),
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
  });
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    // A user and a project through the REST API; the team that wrote the board as members.
    const email = `bench-s7-${Date.now().toString(36)}@example.com`;
    const auth = await api<{ user: { id: string }; access_token: string }>(context, `${base}/api/auth/register`, {
      data: { email, password: PASSWORD, full_name: 'Bench Browser' },
      expect: 201,
    });
    const project = await api<{ id: string }>(context, `${base}/api/projects`, { token: auth.access_token, data: { name: 'Farm maintenance' }, expect: 201 });
    await server.db.sql`INSERT INTO users (id, email, password_hash, full_name)
      SELECT * FROM unnest(${seed.team.map((m) => m.id)}::uuid[], ${seed.team.map((m) => m.email)}::text[],
        ${seed.team.map(() => '!bench')}::text[], ${seed.team.map((m) => m.name)}::text[])`;
    for (const m of seed.team) {
      await api(context, `${base}/api/projects/${project.id}/members`, { token: auth.access_token, data: { user_id: m.id, role: 'MEMBER' }, expect: 201 });
    }
    const pushMs = await pushSeed(server, project.id, auth.access_token, seed);
    log(`  seeded ${seed.taskCount} tasks (${(seed.stateBytes / 1024).toFixed(0)} kB) in ${(pushMs / 1000).toFixed(1)} s`);

    // Sign in through the form, then open the board online once: IndexedDB gets the document.
    // tsx (esbuild keepNames) wraps named inner functions of page callbacks in __name(): give pages one.
    await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
    await context.addInitScript(installColdOpenProbe, COLD_OPEN_PAINTED);
    const boardUrl = `${base}/projects/${project.id}`;
    const page = context.pages()[0] ?? (await context.newPage());
    const browserVersion = /Chrome\/(\S+)/.exec(await page.evaluate(() => navigator.userAgent))?.[1] ?? 'unknown';
    await page.goto(`${base}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor({ timeout: 30_000 });
    await page.goto(boardUrl);
    await expectColumnCounts(page, seed.columns, 120_000);
    await waitAllSaved(page, 60_000);
    await page.waitForFunction(
      async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        return reg?.active?.state === 'activated' && navigator.serviceWorker.controller !== null;
      },
      undefined,
      { timeout: 60_000 },
    );
    const deadline = performance.now() + 60_000;
    let storedBytes = 0;
    while ((storedBytes = await storedDocBytes(page, auth.user.id, project.id)) < 0.9 * seed.stateBytes) {
      if (performance.now() > deadline) throw new Error(`IndexedDB holds ${storedBytes} bytes of the document, expected about ${seed.stateBytes}`);
      await sleep(250);
    }
    // Let the task index and bookkeeping writes that follow a first sync finish.
    await sleep(1500);
    await page.close();
    return { context, boardUrl, userId: auth.user.id, projectId: project.id, storedBytes, browserVersion, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export const scenario7: Scenario = {
  id: 7,
  title: 'Browser: board of 5,000 tasks: offline cold open to first card painted; keyboard move to repaint',
  servers: ['ours'],
  runs: (quick) => (quick ? 1 : 3),
  launchEnv: { ours: { CLIENT_DIR: BENCH_CLIENT_DIR } },
  async runOnce(server, ctx) {
    if (server.name !== 'ours') throw new Error('scenario 7 runs against ours only');
    const size = sizes(ctx.quick);
    if (ensureClientBuilt(BENCH_CLIENT_DIR) === 'built') ctx.log(`  built the client into ${BENCH_CLIENT_DIR}`);
    const seed = cachedBoardSeed(size.tasks);
    // BENCH_BROWSER_PROFILE=<dir>: CPU profiles (Chrome DevTools Protocol) of the last cold open and of the
    // moves, mapped to our sources; summarize with bench/profile-summary.ts. With BENCH_BROWSER_TRACE=1 as
    // well: Chrome traces of them instead.
    const profileDir = process.env.BENCH_BROWSER_PROFILE ? join(process.env.BENCH_BROWSER_PROFILE, new Date().toISOString().replace(/[:.]/g, '-')) : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });

    const board = await openSeededBoard(server as OursServer, seed, ctx.log);
    const { context, boardUrl } = board;
    try {
      // Offline cold opens.
      await context.setOffline(true);
      const opens: ColdOpen[] = [];
      for (let i = 0; i < size.coldOpens; i++) {
        opens.push(await coldOpen(context, boardUrl, seed.columns, i === 0 ? profileDir : undefined));
      }
      ctx.log(
        `  cold opens, ms to first card painted (HTML received, scripts received, modules evaluated, DOMContentLoaded, doc session start, preview read, board committed, card in DOM, doc read, doc applied, board interactive; cards in DOM): ${opens.map((o) => `${o.paint.toFixed(0)} (${[o.htmlLoaded, o.scriptsLoaded, o.marks['modules-evaluated'], o.domContentLoaded, o.marks['doc-session-start'], o.marks['preview-read'], o.marks['board-committed'], o.dom, o.marks['doc-read'], o.marks['doc-applied'], o.interactive].map((v) => (v ?? Number.NaN).toFixed(0)).join(', ')}; ${o.cards})`).join('; ')}`,
      );

      // Keyboard moves, online.
      await context.setOffline(false);
      const page = await context.newPage();
      await page.goto(boardUrl);
      await expectColumnCounts(page, seed.columns, 60_000);
      await waitAllSaved(page, 60_000);
      const stopProfile = profileDir ? await startProfile(page, context) : null;
      const moves: { paint: number; commit: number }[] = [];
      for (let i = 0; i < size.moves; i++) {
        moves.push(await keyboardMove(page, MOVE_FROM[i % MOVE_FROM.length]!));
        await waitAllSaved(page, 30_000);
      }
      await stopProfile?.(join(profileDir!, 'moves.cpuprofile'));
      ctx.log(`  keyboard moves, ms keydown to paint (to commit): ${moves.map((m) => `${m.paint.toFixed(0)} (${m.commit.toFixed(0)})`).join(', ')}`);
      if (profileDir) ctx.log(`  browser CPU profiles in ${profileDir} (node --import tsx bench/profile-summary.ts ${profileDir})`);

      const paint = distribution(opens.map((o) => o.paint));
      const move = distribution(moves.map((m) => m.paint));
      const median = (xs: number[]) => distribution(xs.filter(Number.isFinite)).p50;
      return {
        metrics: {
          cold_open_ms: paint.p50,
          cold_open_max_ms: paint.max,
          cold_open_card_in_dom_ms: median(opens.map((o) => o.dom)),
          cold_open_interactive_ms: median(opens.map((o) => o.interactive)),
          cold_open_html_loaded_ms: median(opens.map((o) => o.htmlLoaded)),
          cold_open_scripts_loaded_ms: median(opens.map((o) => o.scriptsLoaded)),
          cold_open_modules_evaluated_ms: median(opens.map((o) => o.marks['modules-evaluated'] ?? Number.NaN)),
          cold_open_dom_content_loaded_ms: median(opens.map((o) => o.domContentLoaded)),
          cold_open_preview_read_ms: median(opens.map((o) => o.marks['preview-read'] ?? Number.NaN)),
          move_p50_ms: move.p50,
          move_max_ms: move.max,
          move_commit_p50_ms: median(moves.map((m) => m.commit)),
          doc_kb: seed.stateBytes / 1024,
          stored_kb: board.storedBytes / 1024,
        },
        saturated: false,
        notes: [
          `${seed.taskCount} tasks (${Object.entries(seed.columns).map(([s, n]) => `${s} ${n}`).join(', ')}), ${seed.commentCount} comments, ${seed.team.length + 1} members; ` +
            `${size.coldOpens} offline cold opens, ${size.moves} keyboard moves online; Chromium ${board.browserVersion} headless, 1280x800, on all ${cpus().length} cores`,
        ],
      };
    } finally {
      await board.close();
    }
  },
};
