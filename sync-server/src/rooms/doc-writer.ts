// The server's own write path into a project document (used by the REST routes): one Yjs transaction as
// a user, relayed to peers and persisted like any client update (group commit, projections, activity
// attributed to that user). Resolves after the commit that covers it.
import type * as Y from 'yjs';
import type { RoomRegistry } from './room-registry.ts';

export interface DocWriter {
  transact<T>(projectId: string, userId: string, fn: (doc: Y.Doc) => T): Promise<T>;
}

export function createDocWriter(registry: RoomRegistry): DocWriter {
  return {
    async transact(projectId, userId, fn) {
      const room = await registry.acquire(projectId);
      try {
        const { result, committed } = room.transactAs(userId, fn);
        await committed;
        return result;
      } finally {
        registry.release(room);
      }
    },
  };
}
