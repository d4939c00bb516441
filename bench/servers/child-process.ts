// Starting a server as a fresh child process pinned to one core, waiting until it says it listens, and
// stopping it without leaving anything behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface RunningProcess {
  child: ChildProcess;
  pid: number;
  /** Milliseconds from spawn to the ready line (skip this much of a CPU profile to see only the scenario). */
  readyMs: number;
  /** The last few kB of the process's output, for error messages. */
  output(): string;
  stop(graceMs?: number): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Niceness for servers and driver: on a shared machine this keeps other work from preempting the bench. */
export const BENCH_NICE = -10;

/**
 * Spawns `nice -n -10 taskset -c <core> <command...>` (both exec the command, so the child's pid is the
 * server's; without the privilege to raise priority, nice warns and runs the command at normal priority)
 * and resolves once a line of its output matches `ready`, with that match.
 */
export async function startPinned(opts: {
  core: number;
  command: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  ready: RegExp;
  timeoutMs?: number;
}): Promise<{ proc: RunningProcess; match: RegExpExecArray }> {
  const spawnedAt = performance.now();
  const child = spawn('nice', ['-n', String(BENCH_NICE), 'taskset', '-c', String(opts.core), ...opts.command], {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    resolve();
  }));
  const proc: RunningProcess = {
    child,
    pid: child.pid ?? -1,
    readyMs: 0,
    output: () => tail,
    async stop(graceMs = 10_000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exitPromise;
      clearTimeout(timer);
    },
  };
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      reject(new Error(`server did not become ready within ${opts.timeoutMs ?? 30_000} ms; output:\n${tail}`));
    }, opts.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-8000);
      buffered += text;
      const m = opts.ready.exec(buffered);
      if (m) {
        clearTimeout(timer);
        buffered = '';
        resolve(m);
      } else if (buffered.length > 65536) {
        buffered = buffered.slice(-4096);
      }
    };
    // Both streams stay drained for the process's lifetime, so a chatty server never blocks on a full pipe.
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready (code ${code}, signal ${signal}); output:\n${tail}`));
    });
  }).catch(async (error: unknown) => {
    await proc.stop(1000);
    throw error;
  });
  proc.readyMs = performance.now() - spawnedAt;
  return { proc, match };
}
