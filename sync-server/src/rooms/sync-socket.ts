// The only thing a room knows about a network connection. The ws adapter (sync/) and in-memory test sockets
// implement it, so rooms are tested without a network.

export const SocketState = { Connecting: 0, Open: 1, Closing: 2, Closed: 3 } as const;

export interface SyncSocket {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  readonly readyState: number;
}
