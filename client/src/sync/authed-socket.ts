// y-websocket opens every (re)connection with `new WebSocketPolyfill(url, provider.protocols)`, reading
// the protocols synchronously at that moment. Our access token is short-lived and may need an async
// refresh first, so this class stands in for WebSocket: it looks like a connecting socket at once, fetches
// a fresh token, then opens the real socket with ['fieldboard.v1', 'auth.<token>'] and forwards its events.
// The token therefore never goes into the URL (where it would end up in logs).
import { AUTH_SUBPROTOCOL_PREFIX, CloseCode, SUBPROTOCOL_FIELDBOARD } from '../../../shared/protocol.ts';
import { FrameLimit, splitSyncFrame } from './frame-splitter.ts';
import { deferPastPaint, hasDeferredWork } from './past-paint.ts';

export type TokenResult = { token: string } | { error: 'unreachable' | 'signed-out' };

/** Close code used locally when no token could be obtained because the server is unreachable. */
export const LOCAL_UNREACHABLE_CODE = 4999;

interface CloseLike {
  code: number;
  reason: string;
  wasClean: boolean;
}

/**
 * `frames`: the frame limit; sync frames above its budget are sent as several smaller update messages
 * (frame-splitter.ts), so the server never refuses our changes with MessageTooLarge.
 */
export function createAuthedSocketClass(getToken: () => Promise<TokenResult>, Native: typeof WebSocket = WebSocket, frames = new FrameLimit()) {
  return class AuthedSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;

    binaryType: BinaryType = 'arraybuffer';
    onopen: ((event: Event) => void) | null = null;
    onmessage: ((event: MessageEvent) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;
    onclose: ((event: CloseLike) => void) | null = null;
    /** The negotiated subprotocol (fieldboard.v1 or y-websocket), once open. */
    protocol = '';

    private socket: WebSocket | null = null;
    private closedByCaller = false;
    private state = 0;
    /**
     * Frames held while work is deferred past the next paint (a local edit: past-paint.ts), sent in order
     * right after it; the send itself costs the input's frame several milliseconds.
     */
    private outbox: (ArrayBufferLike | ArrayBufferView | Blob | string)[] = [];
    private readonly drain = (): void => {
      const frames = this.outbox;
      this.outbox = [];
      for (const data of frames) this.sendNow(data);
    };

    constructor(url: string | URL, _protocols?: string | string[]) {
      void this.open(String(url));
    }

    get readyState(): number {
      return this.socket ? this.socket.readyState : this.state;
    }

    private async open(url: string): Promise<void> {
      let result: TokenResult;
      try {
        result = await getToken();
      } catch {
        result = { error: 'unreachable' };
      }
      if (this.closedByCaller) return;
      if ('error' in result) {
        this.state = 3;
        const code = result.error === 'signed-out' ? CloseCode.Unauthenticated : LOCAL_UNREACHABLE_CODE;
        this.onclose?.({ code, reason: result.error, wasClean: false });
        return;
      }
      const socket = new Native(url, [SUBPROTOCOL_FIELDBOARD, AUTH_SUBPROTOCOL_PREFIX + result.token]);
      socket.binaryType = this.binaryType;
      this.socket = socket;
      socket.onopen = (event) => {
        this.protocol = socket.protocol;
        this.onopen?.(event);
      };
      socket.onmessage = (event) => this.onmessage?.(event);
      socket.onerror = (event) => this.onerror?.(event);
      socket.onclose = (event) => this.onclose?.({ code: event.code, reason: event.reason, wasClean: event.wasClean });
    }

    send(data: ArrayBufferLike | ArrayBufferView | Blob | string): void {
      if (this.outbox.length > 0 || hasDeferredWork()) {
        if (this.outbox.push(data) === 1) deferPastPaint(this.drain);
        return;
      }
      this.sendNow(data);
    }

    private sendNow(data: ArrayBufferLike | ArrayBufferView | Blob | string): void {
      const socket = this.socket;
      if (!socket || socket.readyState !== 1) return;
      const budget = frames.budget;
      if (typeof data !== 'string' && !(typeof Blob !== 'undefined' && data instanceof Blob) && (data as ArrayBufferLike | ArrayBufferView).byteLength > budget) {
        const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data as ArrayBufferLike);
        const split = splitSyncFrame(bytes, budget);
        if (split) {
          for (const frame of split.frames) socket.send(frame as Uint8Array<ArrayBuffer>);
          if (split.unsendable.length) frames.onUnsendable?.(split.unsendable);
          return;
        }
      }
      socket.send(data as ArrayBuffer);
    }

    close(code?: number, reason?: string): void {
      this.closedByCaller = true;
      // Held frames go out first: y-websocket closes on disconnect and destroy, with edits possibly held.
      this.drain();
      if (this.socket) {
        this.socket.close(code, reason);
      } else {
        this.state = 3;
      }
    }
  };
}
