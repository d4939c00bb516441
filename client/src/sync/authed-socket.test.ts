import { describe, expect, it, vi } from 'vitest';
import { CloseCode } from '../../../shared/protocol.ts';
import { createAuthedSocketClass, LOCAL_UNREACHABLE_CODE, type TokenResult } from './authed-socket.ts';
import { deferPastPaint, flushDeferred } from './past-paint.ts';

class FakeNative {
  static made: FakeNative[] = [];
  readyState = 0;
  binaryType = 'blob';
  protocol = '';
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  onclose: ((e: CloseEvent) => void) | null = null;
  sent: unknown[] = [];
  closed = false;
  constructor(readonly url: string, readonly protocols: string[]) {
    FakeNative.made.push(this);
  }
  send(data: unknown) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('AuthedSocket', () => {
  it('asks for a token on every connection and offers it as a subprotocol, never in the URL', async () => {
    FakeNative.made = [];
    let n = 0;
    const Socket = createAuthedSocketClass(async (): Promise<TokenResult> => ({ token: `tok-${++n}` }), FakeNative as unknown as typeof WebSocket);
    const first = new Socket('ws://h/sync/p1');
    const second = new Socket('ws://h/sync/p1');
    await flush();
    expect(FakeNative.made.map((s) => s.protocols)).toEqual([
      ['fieldboard.v1', 'auth.tok-1'],
      ['fieldboard.v1', 'auth.tok-2'],
    ]);
    expect(FakeNative.made.every((s) => s.url === 'ws://h/sync/p1')).toBe(true);
    expect(FakeNative.made[0].binaryType).toBe('arraybuffer');

    const events: string[] = [];
    first.onopen = () => events.push('open');
    first.onmessage = () => events.push('message');
    first.onclose = (e) => events.push(`close ${e.code}`);
    const native = FakeNative.made[0];
    native.readyState = 1;
    native.protocol = 'fieldboard.v1';
    native.onopen?.(new Event('open'));
    expect(first.protocol).toBe('fieldboard.v1');
    first.send(new Uint8Array([1]));
    expect(native.sent).toHaveLength(1);
    native.onmessage?.(new MessageEvent('message', { data: new ArrayBuffer(1) }));
    native.onclose?.({ code: CloseCode.TokenExpired, reason: 'expired', wasClean: true } as CloseEvent);
    expect(events).toEqual(['open', 'message', `close ${CloseCode.TokenExpired}`]);
    second.close();
    expect(FakeNative.made[1].closed).toBe(true);
  });

  it('reports a missing token as a close the provider understands: retry when unreachable, stop when signed out', async () => {
    FakeNative.made = [];
    const codes: number[] = [];
    for (const error of ['unreachable', 'signed-out'] as const) {
      const Socket = createAuthedSocketClass(async () => ({ error }), FakeNative as unknown as typeof WebSocket);
      const s = new Socket('ws://h/sync/p');
      s.onclose = (e) => codes.push(e.code);
      await flush();
      expect(s.readyState).toBe(3);
    }
    expect(codes).toEqual([LOCAL_UNREACHABLE_CODE, CloseCode.Unauthenticated]);
    expect(FakeNative.made).toHaveLength(0);
  });

  it('closing before the token arrives opens nothing and reports nothing', async () => {
    FakeNative.made = [];
    const Socket = createAuthedSocketClass(async () => ({ token: 't' }), FakeNative as unknown as typeof WebSocket);
    const s = new Socket('ws://h/sync/p');
    let closed = false;
    s.onclose = () => (closed = true);
    s.close();
    await flush();
    expect(FakeNative.made).toHaveLength(0);
    expect(closed).toBe(false);
  });

  it('holds frames while work is deferred past the paint, then sends them in order, and before closing', async () => {
    FakeNative.made = [];
    vi.stubGlobal('requestAnimationFrame', () => 1);
    vi.stubGlobal('cancelAnimationFrame', () => {});
    try {
      const Socket = createAuthedSocketClass(async (): Promise<TokenResult> => ({ token: 'tok' }), FakeNative as unknown as typeof WebSocket);
      const socket = new Socket('ws://h/sync/p1');
      await flush();
      const native = FakeNative.made[0];
      native.readyState = 1;
      socket.send(new Uint8Array([1]));
      expect(native.sent).toHaveLength(1);
      const order: string[] = [];
      deferPastPaint(() => order.push('stored'));
      socket.send(new Uint8Array([2]));
      socket.send(new Uint8Array([3]));
      expect(native.sent).toHaveLength(1);
      flushDeferred();
      expect(order).toEqual(['stored']);
      expect(native.sent.map((d) => (d as Uint8Array)[0])).toEqual([1, 2, 3]);

      deferPastPaint(() => {});
      socket.send(new Uint8Array([4]));
      socket.close();
      expect(native.sent.map((d) => (d as Uint8Array)[0])).toEqual([1, 2, 3, 4]);
      expect(native.closed).toBe(true);
    } finally {
      flushDeferred();
      vi.unstubAllGlobals();
    }
  });
});
