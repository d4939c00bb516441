// Types shared by every route module: the app's dependencies and the per-request variables.
import type { Config } from '../config.ts';
import type { Sql } from '../db/database.ts';
import type { ServerEvents } from '../events.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { DocWriter } from '../rooms/doc-writer.ts';

/** The authenticated caller, resolved from a verified access token and a live database check. */
export interface AuthUser {
  id: string;
  email: string;
  full_name: string;
  is_instance_admin: boolean;
  /** The refresh-token family (login session) the access token was issued for. */
  session_id: string;
}

export interface AppDeps {
  config: Config;
  sql: Sql;
  logger: Logger;
  /** In-process events (membership changes, deletions) that the sync side listens to. */
  events: ServerEvents;
  /** Writes to project documents as a user (relayed, persisted, projected); absent in REST-only tests. */
  docs?: DocWriter;
  /** Prometheus metrics served at GET /metrics. */
  metrics?: Metrics;
  /** Injectable clock (ms since epoch) so tests can move time. */
  now?: () => number;
}

/** A verified access token whose session the route checks itself, in its own statement (see requireToken). */
export interface TokenSession {
  userId: string;
  sessionId: string;
  nowMs: number;
}

export interface AppEnv {
  Variables: {
    user: AuthUser;
    /** Set instead of `user` by requireToken. */
    token: TokenSession;
    requestId: string;
  };
}
