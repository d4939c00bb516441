// One server process per database: a session-level PostgreSQL advisory lock, held on a connection of its own for
// as long as the process serves. Two processes on one database would each keep their own room for a project,
// neither relaying the other's edits to its clients, and a compaction deletes the log rows up to its mark on the
// assumption that its own room wrote every one of them: the other process's rows among them would be lost.
//
// A second process waits for the lock before it serves anything, so a rolling restart hands over: the new
// process starts serving once the old one has exited (PostgreSQL releases the lock when the old session ends,
// kill -9 included). Should the lock's connection drop (PostgreSQL restarted, a network cut), the lock is taken
// again as soon as the database answers: our old session, if PostgreSQL has not noticed the cut yet, is ended
// first; if another process took the lock meanwhile, `onLost` runs (main.ts exits at once: the edits not yet
// acknowledged as saved are still on the devices that made them).
import postgres from 'postgres';
import type { Logger } from '../logger.ts';

/** The lock's key, the same for every Fieldboard server (advisory locks are per database). */
const SERVER_LOCK_KEY = 4_671_120_539_812_033_711n;

export interface ServerLock {
  /** Ends the lock's session (the lock with it). */
  release(): Promise<void>;
}

export interface ServerLockOptions {
  logger: Logger;
  /** Another process holds the lock after this one's connection dropped: this process must stop serving. */
  onLost: () => void;
  /** First wait between attempts to take the lock again after the connection dropped (doubling to 10x while the
   * database is unreachable). */
  retryMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once this process holds the lock (waiting for another process to end first). */
export async function acquireServerLock(url: string, opts: ServerLockOptions): Promise<ServerLock> {
  const { logger } = opts;
  let held = false;
  let released = false;
  let retaking: Promise<void> | null = null;
  const sql = postgres(url, {
    max: 1,
    // One connection, never recycled: ending it would hand the lock to whoever waits.
    idle_timeout: 0,
    max_lifetime: 0,
    connect_timeout: 10,
    onnotice: () => {},
    onclose: () => {
      if (held && !released && !retaking) retaking = retake().finally(() => (retaking = null));
    },
  });
  const key = SERVER_LOCK_KEY.toString();
  /** The session holding our lock: after a network cut, the old one may outlive its connection for minutes. */
  let session: number | null = null;
  const tryLock = async () => {
    const [row] = await sql<{ locked: boolean; pid: number }[]>`SELECT pg_try_advisory_lock(${key}::bigint) AS locked, pg_backend_pid() AS pid`;
    if (row!.locked) session = row!.pid;
    return row!.locked;
  };
  /** The session that holds the lock now, if any (pg_locks shows a bigint key as its high and low 32 bits). */
  const holder = async () => {
    const [row] = await sql<{ pid: number }[]>`
      SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database
      WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()
        AND l.classid = ${(SERVER_LOCK_KEY >> 32n).toString()}::oid AND l.objid = ${(SERVER_LOCK_KEY & 0xffffffffn).toString()}::oid AND l.objsubid = 1`;
    return row?.pid ?? null;
  };

  async function retake(): Promise<void> {
    logger.warn('the server lock\'s database connection closed; taking the lock again');
    const base = opts.retryMs ?? 1000;
    let delay = base;
    while (!released) {
      try {
        if (await tryLock()) {
          logger.info('server lock taken again');
          return;
        }
        const pid = await holder();
        if (pid !== null && pid !== session) {
          if (released) return;
          logger.fatal('another server process took this database while our connection to it was down; stopping');
          opts.onLost();
          return;
        }
        // Our own earlier session, cut off from us but not yet ended by PostgreSQL: end it, then take the lock.
        // (No holder at all: it was released between the two reads.)
        if (pid !== null) await sql`SELECT pg_terminate_backend(${pid})`;
        delay = base;
        await sleep(base);
      } catch (error) {
        if (released) return;
        logger.warn({ err: (error as Error).message, retryInMs: delay }, 'server lock: database unreachable; retrying');
        await sleep(delay);
        delay = Math.min(delay * 2, 10 * base);
      }
    }
  }

  if (!(await tryLock())) {
    logger.warn('another server process is using this database; waiting for it to stop (one server per database)');
    session = (await sql<{ pid: number }[]>`SELECT pg_advisory_lock(${key}::bigint), pg_backend_pid() AS pid`)[0]!.pid;
    logger.info('the other server process stopped; server lock taken');
  }
  held = true;
  return {
    async release() {
      released = true;
      await sql.end({ timeout: 5 });
    },
  };
}
