// Idempotency-Key on POST: a client that retries a create (timeout, lost connection, offline replay) with the
// same key gets the first response again instead of a second task or comment.
//
// The (user_id, key) primary key of idempotency_keys is the lock: the first request inserts a row with no
// status (in progress), runs, and stores its response; a concurrent retry finds the row, waits for the
// response and replays it. A retry whose request differs from the first (other path or body) is refused,
// since replaying a response for a different request would be a silent lie.
import { createHash } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { Sql } from '../db/database.ts';
import { ApiError } from './api-error.ts';
import type { AppEnv } from './context.ts';

/** Keys are remembered this long; after that the same key starts a new request. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** A row left in progress this long (its server died mid-request) is taken over by the next retry. */
const ABANDONED_AFTER_SECONDS = 60;
/** How long a concurrent retry waits for the first request to finish before answering 409. */
const WAIT_FOR_FIRST_MS = 10_000;
const POLL_MS = 25;

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

interface KeyRow {
  method: string;
  path: string;
  request_hash: string;
  status_code: number | null;
  response_body: unknown;
  abandoned: boolean;
}

export function idempotency(deps: { sql: Sql }) {
  const { sql } = deps;
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!KEY_PATTERN.test(key)) {
      throw new ApiError('VALIDATION_ERROR', 'Idempotency-Key must be 1-255 visible ASCII characters (a UUID is a good choice)', [
        { field: 'Idempotency-Key', message: 'invalid format', code: 'invalid_format' },
      ]);
    }
    const userId = c.get('user').id;
    const path = c.req.path;
    const requestHash = await hashRequest(c.req.raw, () => c.req.text());

    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      await sql`
        DELETE FROM idempotency_keys
        WHERE user_id = ${userId} AND key = ${key}
          AND (created_at < now() - make_interval(secs => ${IDEMPOTENCY_TTL_SECONDS})
               OR (status_code IS NULL AND created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})))`;
      const claimed = await sql`
        INSERT INTO idempotency_keys (user_id, key, method, path, request_hash)
        VALUES (${userId}, ${key}, 'POST', ${path}, ${requestHash})
        ON CONFLICT (user_id, key) DO NOTHING RETURNING 1`;
      if (claimed.length > 0) break;

      const [row] = await sql<KeyRow[]>`
        SELECT method, path, request_hash, status_code, response_body,
               created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS}) AS abandoned
        FROM idempotency_keys WHERE user_id = ${userId} AND key = ${key}`;
      if (!row) continue; // expired and deleted between our statements: claim it on the next turn
      if (row.path !== path || row.request_hash !== requestHash) {
        throw new ApiError(
          'VALIDATION_ERROR',
          'This Idempotency-Key was already used for a different request; use a new key for a new request',
          [{ field: 'Idempotency-Key', message: 'reused with a different request', code: 'idempotency_key_reused' }],
        );
      }
      if (row.status_code !== null) {
        c.header('Idempotent-Replayed', 'true');
        return c.json(row.response_body as object, row.status_code as 200);
      }
      if (Date.now() > deadline) {
        throw new ApiError('CONFLICT', 'A request with this Idempotency-Key is still being processed; retry shortly', undefined, {
          'Retry-After': '1',
        });
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }

    let stored = false;
    try {
      await next();
      const res = c.res;
      // Server errors are not remembered: the retry deserves a fresh attempt. Everything else (the created
      // row, or a 4xx that will not change on retry) is replayed.
      if (res.status < 500 && res.headers.get('content-type')?.includes('application/json')) {
        const body: unknown = await res.clone().json();
        await sql`
          UPDATE idempotency_keys SET status_code = ${res.status}, response_body = ${sql.json(body as never)}
          WHERE user_id = ${userId} AND key = ${key}`;
        stored = true;
      }
    } finally {
      if (!stored) await sql`DELETE FROM idempotency_keys WHERE user_id = ${userId} AND key = ${key} AND status_code IS NULL`;
    }
  });
}

/**
 * Fingerprint of the request: method, path and body. Multipart uploads are not read here (that would buffer
 * the whole file before the streaming size check), so their fingerprint is the method and path alone.
 */
async function hashRequest(req: Request, readText: () => Promise<string>): Promise<string> {
  const hash = createHash('sha256').update(`${req.method} ${new URL(req.url).pathname}\n`);
  if ((req.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/')) {
    hash.update('multipart');
  } else {
    hash.update(canonicalJson(await readText()));
  }
  return hash.digest('hex');
}

/** The same JSON with different spacing or key order is the same request. */
function canonicalJson(text: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)));
  } catch {
    return text;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}
