// The server's Node flags: the one-CPU choice, and that this Node accepts every flag we may pass (a flag Node
// does not know stops the server before it starts).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { serverNodeFlags } from './server-build.mjs';

describe('serverNodeFlags', () => {
  it('runs the collector on the main thread only when the process has one CPU', () => {
    expect(serverNodeFlags(1)).toContain('--single-threaded-gc');
    expect(serverNodeFlags(2)).not.toContain('--single-threaded-gc');
    expect(serverNodeFlags(2)).toEqual(expect.arrayContaining(['--expose-gc', '--enable-source-maps']));
  });

  it('passes only flags this Node accepts', () => {
    const run = spawnSync(process.execPath, [...serverNodeFlags(1), '-e', 'if (typeof gc !== "function") process.exit(3)'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
