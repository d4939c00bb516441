import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMallocTrimBuilt } from '../../scripts/native-build.mjs';
import { findMallocTrimAddon, loadMallocTrim } from './malloc-trim.ts';

const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
const glibc = process.platform === 'linux' && Boolean(report?.header?.glibcVersionRuntime);
// The addon is optional, and so is a C compiler on a developer's machine (CI and the Dockerfile have one): the
// tests that build the real addon need both.
const canBuild = glibc && spawnSync(process.env.CC || 'cc', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'fb-malloc-trim-'));
const addon = join(dir, 'malloc-trim.node');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('malloc_trim addon build', () => {
  it.runIf(canBuild)('builds on Linux with glibc, then is fresh until its source changes', () => {
    const out = join(dir, 'build-test.node');
    expect(ensureMallocTrimBuilt({ out })).toEqual({ status: 'built' });
    expect(existsSync(out)).toBe(true);
    expect(ensureMallocTrimBuilt({ out })).toEqual({ status: 'fresh' });
  });

  it.runIf(!glibc)('is skipped, with the reason, where there is no glibc', () => {
    const result = ensureMallocTrimBuilt({ out: join(dir, 'never.node') });
    expect(result.status).toBe('skipped');
  });

  it.runIf(glibc)('reports a compiler that fails instead of throwing, and leaves no file behind', () => {
    const out = join(dir, 'failed.node');
    const missing = ensureMallocTrimBuilt({ out, cc: join(dir, 'no-such-compiler') });
    expect(missing).toMatchObject({ status: 'skipped', reason: expect.stringContaining('no-such-compiler failed') });
    const failing = ensureMallocTrimBuilt({ out, cc: 'false' });
    expect(failing).toMatchObject({ status: 'skipped', reason: expect.stringContaining('false failed') });
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.${process.pid}.partial`)).toBe(false);
  });
});

describe('malloc_trim addon loading', () => {
  it('is found from the bundle (dist/server) and from the sources (sync-server/src), and not elsewhere', () => {
    const root = join(dir, 'project');
    for (const sub of ['dist/native', 'dist/server', 'sync-server/src']) mkdirSync(join(root, sub), { recursive: true });
    writeFileSync(join(root, 'dist/native/malloc-trim.node'), '');
    expect(findMallocTrimAddon(join(root, 'dist/server'))).toBe(join(root, 'dist/native/malloc-trim.node'));
    expect(findMallocTrimAddon(join(root, 'sync-server/src'))).toBe(join(root, 'dist/native/malloc-trim.node'));
    mkdirSync(join(dir, 'elsewhere/a/b'), { recursive: true });
    expect(findMallocTrimAddon(join(dir, 'elsewhere/a/b'))).toBeUndefined();
  });

  it('says why it is unavailable, never throws: not built, or not an addon', () => {
    expect(loadMallocTrim(undefined)).toEqual({ unavailable: expect.stringContaining('not built') });
    const notAnAddon = join(dir, 'not-an-addon.node');
    writeFileSync(notAnAddon, 'this is not a shared object');
    expect(loadMallocTrim(notAnAddon)).toEqual({ unavailable: expect.stringContaining('did not load') });
  });

  describe.runIf(canBuild)('the built addon', () => {
    beforeAll(() => {
      expect(ensureMallocTrimBuilt({ out: addon }).status).not.toBe('skipped');
    });

    it('loads as a trim function', () => {
      const loaded = loadMallocTrim(addon);
      expect('trim' in loaded && typeof loaded.trim()).toBe('boolean');
    });

    it('gives back the free memory that glibc keeps after freed buffers (in a process of its own, for a clean RSS)', () => {
      // 40 MB of 2 kB buffers (malloc'd backing stores), every 32nd kept: after the collection the freed ones
      // are free chunks between live ones, which glibc keeps; malloc_trim(0) returns their pages.
      const script = `
        import v8 from 'node:v8';
        import { runInNewContext } from 'node:vm';
        import { createRequire } from 'node:module';
        v8.setFlagsFromString('--expose-gc');
        const gc = runInNewContext('gc');
        const { trim } = createRequire(import.meta.url)(${JSON.stringify(addon)});
        const rss = () => process.memoryUsage().rss;
        function allocate() {
          const all = [];
          for (let i = 0; i < 20000; i++) all.push(Buffer.allocUnsafeSlow(2048).fill(1));
          return all.filter((_, i) => i % 32 === 0);
        }
        const kept = allocate();
        gc(); gc();
        await new Promise((resolve) => setTimeout(resolve, 100)); // backing stores are freed after the sweep
        gc();
        const before = rss();
        const trimmed = trim();
        console.log(JSON.stringify({ trimmed, before, after: rss(), kept: kept.length }));`;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const result = JSON.parse(run.stdout) as { trimmed: boolean; before: number; after: number; kept: number };
      expect(result.kept).toBe(625);
      expect(result.trimmed).toBe(true);
      expect(result.before - result.after).toBeGreaterThan(20 * 2 ** 20);
    });
  });
});
