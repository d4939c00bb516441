// Where the bench's load generator runs from: its own session at raised priority, pinned to its core.
// Linux groups CPU time by session (autogroup): on a shared machine every other session gets as much CPU as
// the whole bench, whatever our nice value. So the bench runs in its own session (setsid) whose group is
// raised to nice -10; servers and driver inherit it, all servers alike. PostgreSQL stays in its own group.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { BENCH_NICE } from '../servers/child-process.ts';
import { pinToCore } from './proc.ts';

export const SERVER_CORE = 0;
export const DRIVER_CORE = 1;

/**
 * Re-executes this command in a session of its own (setsid; the parent exits with the child's status), then
 * raises the session's priority and pins this process to the load generator's core. Returns what worked.
 */
export function enterBenchSession(log: (message: string) => void): { pinned: boolean; reniced: boolean } {
  if (!process.env.BENCH_IN_SESSION) {
    // --expose-gc: the harness collects its own garbage between scenarios (run.ts, settle).
    const execArgv = process.execArgv.includes('--expose-gc') ? process.execArgv : [...process.execArgv, '--expose-gc'];
    const child = spawnSync('setsid', ['-w', process.execPath, ...execArgv, process.argv[1]!, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_IN_SESSION: '1' },
    });
    if (!child.error) process.exit(child.status ?? 1);
    log(`note: setsid unavailable (${child.error.message}); running in the caller's session`);
  }
  let reniced = false;
  try {
    writeFileSync('/proc/self/autogroup', String(BENCH_NICE));
    reniced = true;
  } catch {
    // Not root, or no autogroup: the bench still runs, with the caveat in the report.
  }
  const pinned = pinToCore(process.pid, DRIVER_CORE);
  if (!pinned) log('warning: taskset failed; the load generator is not pinned (results are less fair)');
  try {
    setPriority(BENCH_NICE);
  } catch {
    reniced = false;
  }
  if (!reniced) log(`note: could not raise priority to nice ${BENCH_NICE}; other processes on this machine may disturb timings`);
  return { pinned, reniced };
}
