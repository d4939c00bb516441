// The server's own write path into a project document (used by the REST routes): one Yjs transaction as
// a user, relayed to peers and persisted like any client update (group commit, projections, activity
// attributed to that user). Resolves after the commit that covers it.
import type * as Y from 'yjs';
import type { RoomRegistry } from './room-registry.ts';

export interface DocWriter {
  transact<T>(projectId: string, userId: string, fn: (doc: Y.Doc) => T): Promise<T>;
}

/**
 * The change was applied and relayed but is not durable yet (the database is failing; the room keeps
 * retrying, so it is not lost unless the process dies). REST answers 503 and the client may retry.
 */
export class DocWriteTimeoutError extends Error {
  override name = 'DocWriteTimeoutError';
}

export function createDocWriter(registry: RoomRegistry, opts: { commitTimeoutMs?: number } = {}): DocWriter {
  const timeoutMs = opts.commitTimeoutMs ?? 10_000;
  return {
    async transact(projectId, userId, fn) {
      const room = await registry.acquire(projectId);
      let timer: NodeJS.Timeout | undefined;
      try {
        const { result, committed } = room.transactAs(userId, fn);
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new DocWriteTimeoutError(`the change to project ${projectId} is not saved yet (storage is failing); it stays queued`)), timeoutMs);
        });
        await Promise.race([committed, timedOut]);
        return result;
      } finally {
        clearTimeout(timer);
        registry.release(room);
      }
    },
  };
}
