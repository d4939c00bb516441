// Listening with room for a reconnect storm.
//
// After a deploy or a network blip every open board reconnects at once. The kernel completes those TCP
// handshakes on its own and holds them until the event loop accepts them, but only up to the listen backlog
// (Node's default: 511). A handshake that finds the queue full is dropped, and its client waits for a
// retransmission: a second at least. Bench scenario 2 (1,000 sockets opened at once) counted it: about 250 of
// the 1,000 overflowed whenever the load generator was quick enough, for every server tested.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Connections the kernel may hold for us before we accept them; it caps this at net.core.somaxconn. */
export const LISTEN_BACKLOG = 4096;

export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.once('error', failed);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', failed);
      resolve(server.address() as AddressInfo);
    });
  });
}
