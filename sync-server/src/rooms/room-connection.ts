// One authenticated peer of a room, as the room sees it: a socket, who it is, what it may do.
import { can, type Role } from '../../../shared/roles.ts';
import { SUBPROTOCOL_FIELDBOARD } from '../../../shared/protocol.ts';
import { SocketState, type SyncSocket } from './sync-socket.ts';

export interface ConnectionInfo {
  userId: string;
  /** The login session (refresh-token family) the access token belongs to. */
  sessionId: string | null;
  role: Role;
  /** The negotiated subprotocol: fieldboard.v1 or y-websocket. */
  protocol: string;
}

export class RoomConnection {
  /** Awareness client ids this connection has announced; it may set or remove only these. */
  readonly clientIds = new Set<number>();
  /**
   * Room sequence numbers of this connection's writes that no saved message has covered yet: the lowest and
   * the highest (0 = nothing outstanding). After a commit reaching `unackedFrom`, the room sends saved (so a
   * writer streaming without pause still gets an ack per commit) and keeps the rest outstanding.
   */
  unackedFrom = 0;
  unackedTo = 0;

  constructor(
    readonly socket: SyncSocket,
    public info: ConnectionInfo,
  ) {}

  get canWrite(): boolean {
    return can(this.info.role, 'board.write');
  }

  get wantsSaved(): boolean {
    return this.info.protocol === SUBPROTOCOL_FIELDBOARD;
  }

  get open(): boolean {
    return this.socket.readyState === SocketState.Open;
  }

  send(frame: Uint8Array): boolean {
    if (!this.open) return false;
    try {
      this.socket.send(frame);
      return true;
    } catch {
      return false;
    }
  }
}

/** Transaction origin for changes the server makes on a user's behalf (the REST write path). */
export class WriterOrigin {
  constructor(readonly userId: string) {}
}

/** A message that breaks the protocol: the connection is closed with `code`, nothing else is touched. */
export class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
