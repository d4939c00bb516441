// How far behind its room one connection may fall before it is closed (CloseCode.TooFarBehind).
//
// The server writes to a socket whatever its room sends; a peer that reads more slowly than the room changes
// (a phone on a weak link, a tab frozen mid-read, a client that writes but never reads) makes that output wait
// in the process, without bound: `ws` queues every frame, and the heartbeat cannot tell, because such a peer
// still answers pings or sends frames of its own. Closing it loses nothing: the client keeps its changes, and
// its reconnect handshake sends what it lacks as one compact step 2, usually far smaller than the relays that
// queued up.
//
// The limit counts bytes waiting beyond the connection's largest frame, so one frame larger than the limit (a
// new device's step 2 of a large document) can always be delivered, relays queued behind it included. A peer
// that asks for such an answer again before reading the first is closed at the frame after the second: what
// waits for one connection stays below the limit plus two of its largest frames.

export class OutputLimit {
  private largest = 0;

  constructor(private readonly limit: number) {}

  /**
   * Called before `frameBytes` more are queued, with the bytes already waiting to be sent; false means the
   * connection is too far behind and the frame should not be queued.
   */
  admit(waitingBytes: number, frameBytes: number): boolean {
    if (waitingBytes > this.limit + this.largest) return false;
    this.sent(frameBytes);
    return true;
  }

  /** Counts a frame queued without the check (the handshake's first answers, sent before anything waits). */
  sent(frameBytes: number): void {
    if (frameBytes > this.largest) this.largest = frameBytes;
  }
}
