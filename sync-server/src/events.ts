// In-process events between the REST side and the sync side (single node). Example: removing a member over
// REST must close that user's open sockets to the project within a second.
import { EventEmitter } from 'node:events';

export interface ServerEventMap {
  /** A member was added, removed or re-roled. `role` is the new role, null when removed. */
  'membership-changed': [{ projectId: string; userId: string; role: string | null }];
  /** A project was soft-deleted: every connection to it must close. */
  'project-deleted': [{ projectId: string }];
  /** A user was deactivated or all their sessions revoked: close every connection of theirs. */
  'user-deactivated': [{ userId: string }];
  /** One login session (refresh-token family) was revoked (logout, reuse detection). */
  'session-revoked': [{ userId: string; sessionId: string }];
}

export class ServerEvents extends EventEmitter<ServerEventMap> {}
