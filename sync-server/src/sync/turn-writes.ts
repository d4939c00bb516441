// Frames sent to one connection during one event-loop turn leave in one write.
//
// `ws` writes every frame to its socket at once, each with its own writev system call; on loopback TCP that
// call also runs the receiver's side of the stack. A busy room relays each update to every other connection,
// so a connection receiving several updates in one turn (several writers' frames read in the same poll, a
// commit's saved acknowledgement next to a relay) paid one call per frame, and its client one read per frame.
// Holding a socket corked from its first frame of the turn until the turn's check phase (setImmediate) sends
// them together; the order on the wire is unchanged, and nothing waits for a timer. Long work that yields turn
// by turn (rooms/turns.ts: loads, compactions, a new device's step 2) sends what is held before each of its
// slices: a slice queued in the check phase ahead of the flush held a bystander's relays 10-20 ms (bench
// scenario 5: bystander p99 67-222 ms over six runs, 29-137 with no holding at all).
import type { Duplex } from 'node:stream';
import { beforeLongWork } from '../rooms/turns.ts';

export class TurnWrites {
  private held = new Set<Duplex>();
  private spare = new Set<Duplex>();
  private readonly flushBound = this.flush.bind(this);
  private readonly unhook = beforeLongWork(this.flushBound);

  /** Corks `socket` until the end of this turn (once per turn; a socket corked by its caller stays so). */
  hold(socket: Duplex): void {
    if (this.held.has(socket)) return;
    socket.cork();
    this.held.add(socket);
    if (this.held.size === 1) setImmediate(this.flushBound);
  }

  /** Sends what the held sockets buffered. Runs by itself at the end of the turn. */
  flush(): void {
    const sockets = this.held;
    // Uncorking writes, and a write's callback may send (and hold) again: that joins the next turn's set.
    this.held = this.spare;
    for (const socket of sockets) socket.uncork();
    sockets.clear();
    this.spare = sockets;
  }

  /** Sends what is held and stops flushing before long work (the server is closing). */
  dispose(): void {
    this.unhook();
    this.flush();
  }
}
