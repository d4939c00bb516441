// CPU and memory of a process from /proc (Linux only): utime+stime from /proc/<pid>/stat, VmRSS from
// /proc/<pid>/status. Sampling /proc costs microseconds, so a 200 ms sampler does not disturb the load.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { sleep } from './schedule.ts';

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU seconds (user + system) the process has used so far, or NaN when it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds used so far by every process named `name` (as /proc/<pid>/comm has it); exited ones not counted. */
export function cpuSecondsOfAll(name: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let comm: string;
    try {
      comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
    } catch {
      continue; // gone meanwhile
    }
    if (comm !== name) continue;
    const seconds = cpuSeconds(Number(entry));
    if (Number.isFinite(seconds)) total += seconds;
  }
  return total;
}

/**
 * Milliseconds the process's main thread has spent runnable but waiting for a CPU (the second field of
 * /proc/<pid>/schedstat); NaN where it cannot be read. For a Node process that is the event loop waiting
 * while something else runs on its core.
 */
export function runQueueWaitMs(pid: number): number {
  try {
    const waitedNs = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]);
    return waitedNs / 1e6;
  } catch {
    return Number.NaN;
  }
}

/**
 * Read and write system calls the process has made so far (syscr and syscw of /proc/<pid>/io: every read,
 * readv, write and writev, sockets included); NaN where they cannot be read. A Node process writes each
 * buffered chunk of a socket with one call and reads each arrival with one, so per update these count how
 * many frames travelled together.
 */
export function ioCalls(pid: number): { reads: number; writes: number } {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? Number.NaN);
    return { reads: field('syscr'), writes: field('syscw') };
  } catch {
    return { reads: Number.NaN, writes: Number.NaN };
  }
}

/**
 * The kernel's count of connections a listening socket had no room for (TcpExt ListenOverflows in
 * /proc/net/netstat: the accept queue was full when a handshake completed), for the whole machine; NaN where
 * it cannot be read. Such a client waits for a retransmission, a second or more.
 */
export function listenOverflows(): number {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    for (let i = 0; i + 1 < lines.length; i += 2) {
      if (!lines[i]!.startsWith('TcpExt:')) continue;
      const names = lines[i]!.split(' ');
      const values = lines[i + 1]!.split(' ');
      const at = names.indexOf('ListenOverflows');
      return at > 0 ? Number(values[at]) : Number.NaN;
    }
  } catch {
    // not Linux
  }
  return Number.NaN;
}

/** Resident set size in bytes, or NaN when the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export interface UsageWindow {
  /** Mean CPU use over the window, in cores (1.0 = one core fully busy). */
  cpu: number;
  /** Peak CPU over any sampling interval, in cores. */
  cpuPeak: number;
  rssMaxBytes: number;
  rssEndBytes: number;
}

/** Samples one process's CPU and RSS between start() and stop(). */
export class UsageSampler {
  private timer: NodeJS.Timeout | undefined;
  private startCpu = 0;
  private startAt = 0;
  private lastCpu = 0;
  private lastAt = 0;
  private peak = 0;
  private rssMax = 0;

  constructor(
    readonly pid: number,
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.startCpu = this.lastCpu = cpuSeconds(this.pid);
    this.startAt = this.lastAt = performance.now();
    this.peak = 0;
    this.rssMax = rssBytes(this.pid);
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    const now = performance.now();
    const cpu = cpuSeconds(this.pid);
    const dt = (now - this.lastAt) / 1000;
    if (dt > 0 && Number.isFinite(cpu)) this.peak = Math.max(this.peak, (cpu - this.lastCpu) / dt);
    this.lastCpu = cpu;
    this.lastAt = now;
    const rss = rssBytes(this.pid);
    if (rss > this.rssMax) this.rssMax = rss;
  }

  stop(): UsageWindow {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const seconds = (this.lastAt - this.startAt) / 1000;
    return {
      cpu: seconds > 0 ? (this.lastCpu - this.startCpu) / seconds : Number.NaN,
      cpuPeak: this.peak,
      rssMaxBytes: this.rssMax,
      rssEndBytes: rssBytes(this.pid),
    };
  }
}

/** A load generator above this share of its core measures itself, not the server. */
export const SATURATION_THRESHOLD = 0.9;

/** Pins a process (all its threads) to one CPU core with taskset; false when taskset is unavailable. */
export function pinToCore(pid: number, core: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Busy and total jiffies of every core together, from /proc/stat's first line; null where it cannot be read. */
function machineJiffies(): { busy: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0); // user .. steal (guest time is inside user)
    const idle = fields[3]! + (fields[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/**
 * Waits until the whole machine (every core) was busy less than `threshold` of a `windowMs` window, or
 * `maxMs` passed; resolves with the last window's busy share (NaN where /proc/stat cannot be read).
 */
export async function machineQuiet(maxMs: number, threshold = 0.1, windowMs = 1000): Promise<number> {
  const end = performance.now() + maxMs;
  let last = machineJiffies();
  let share = Number.NaN;
  while (last && performance.now() < end) {
    await sleep(windowMs);
    const now = machineJiffies();
    if (!now) break;
    share = (now.busy - last.busy) / Math.max(1, now.total - last.total);
    if (share < threshold) break;
    last = now;
  }
  return share;
}

/** Waits until the process uses under 5% of a core for `windowMs` (a second by default), or `maxMs` passes. */
export async function quiesce(pid: number, maxMs: number, windowMs = 1000) {
  const end = performance.now() + maxMs;
  let last = cpuSeconds(pid);
  while (performance.now() < end) {
    await sleep(windowMs);
    const now = cpuSeconds(pid);
    if (now - last < 0.05 * (windowMs / 1000)) return;
    last = now;
  }
}
