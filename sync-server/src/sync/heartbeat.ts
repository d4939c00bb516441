// Finds sync connections whose peer is gone without a word. A phone that loses coverage, or a NAT that forgets
// the mapping, leaves a half-open TCP connection: the server hears nothing, and with nothing to send it would
// keep the connection for good. Such a connection holds its room loaded, its user's awareness shown as online,
// and a place in its user's connection limit (SYNC_MAX_CONNECTIONS_PER_USER, 20: a field worker whose phone drops
// out ten times a day would reach it on the second day).
//
// Once per interval each socket has its turn: one heard from since its previous turn (a pong, or any frame) is
// pinged; one that was not is terminated, which runs its close handling like any other close. So a dead peer
// is dropped between one and two intervals after it went silent. The sockets take their turns spread over the
// interval (ten slices), so 10,000 connections are not pinged in one burst. Browsers answer pings by
// themselves, also from a background tab; stock y-websocket clients too.

/** What the heartbeat needs of a socket (ws's WebSocket has both). */
export interface PingableSocket {
  ping(): void;
  terminate(): void;
}

/** Each interval is walked in this many steps, a slice of the sockets each, so pings do not leave in one burst. */
const SLICES = 10;

interface Watched {
  /** Heard from since this socket's last ping. */
  heard: boolean;
  slice: number;
}

export class Heartbeat {
  private readonly watched = new Map<PingableSocket, Watched>();
  private readonly timer: NodeJS.Timeout;
  private nextSlice = 0;
  private step = 0;

  constructor(
    intervalMs: number,
    private readonly onDead: () => void = () => {},
  ) {
    this.timer = setInterval(this.tick.bind(this), Math.max(1, Math.round(intervalMs / SLICES)));
    this.timer.unref();
  }

  watch(socket: PingableSocket): void {
    if (this.watched.has(socket)) return;
    this.watched.set(socket, { heard: true, slice: this.nextSlice });
    this.nextSlice = (this.nextSlice + 1) % SLICES;
  }

  /** A pong or a frame arrived from `socket`. */
  alive(socket: PingableSocket): void {
    const w = this.watched.get(socket);
    if (w) w.heard = true;
  }

  unwatch(socket: PingableSocket): void {
    this.watched.delete(socket);
  }

  get watching(): number {
    return this.watched.size;
  }

  /** Visits one slice of the sockets (runs by itself, SLICES times per interval). */
  tick(): void {
    const slice = this.step;
    this.step = (this.step + 1) % SLICES;
    for (const [socket, w] of this.watched) {
      if (w.slice !== slice) continue;
      if (!w.heard) {
        this.watched.delete(socket);
        this.onDead();
        socket.terminate();
        continue;
      }
      w.heard = false;
      try {
        socket.ping();
      } catch {
        // Not open any more: its close handler unwatches it.
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.watched.clear();
  }
}
