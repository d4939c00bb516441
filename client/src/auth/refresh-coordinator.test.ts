import { describe, expect, it } from 'vitest';
import { RefreshCoordinator, type ChannelLike, type LockLike, type RefreshOutcome } from './refresh-coordinator.ts';

/** navigator.locks stand-in shared by "tabs": one holder at a time, FIFO. */
function sharedLock(): LockLike {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    request<T>(_name: string, cb: () => Promise<T>): Promise<T> {
      const run = tail.then(cb);
      tail = run.catch(() => {});
      return run;
    },
  };
}

/** BroadcastChannel stand-in: delivers to every other member, asynchronously. */
function sharedChannel() {
  const members: ((data: unknown) => void)[] = [];
  return (): ChannelLike => {
    let self: ((data: unknown) => void) | null = null;
    return {
      postMessage(message) {
        for (const m of members) if (m !== self) queueMicrotask(() => m(structuredClone(message)));
      },
      addEventListener(_type, listener) {
        self = (data) => listener({ data });
        members.push(self);
      },
      close() {},
    };
  };
}

/** The server: rotates a refresh token; presenting a spent one revokes the family (like ours). */
function fakeServer() {
  let current = 'r0';
  let revoked = false;
  let active = 0;
  let maxActive = 0;
  let calls = 0;
  let n = 0;
  const refreshWith = (cookie: () => string, setCookie: (v: string) => void) => async (): Promise<RefreshOutcome> => {
    calls++;
    active++;
    maxActive = Math.max(maxActive, active);
    const presented = cookie();
    await new Promise((r) => setTimeout(r, 5));
    active--;
    if (revoked || presented !== current) {
      revoked = true;
      return { kind: 'rejected' };
    }
    current = `r${++n}`;
    setCookie(current);
    return { kind: 'ok', token: { token: `access-${n}`, expiresAt: Date.now() + 3600_000 } };
  };
  return { refreshWith, stats: () => ({ calls, maxActive, revoked }) };
}

describe('refresh coordination across tabs', () => {
  it('two tabs refreshing at once never present the same refresh token: one rotates, the other adopts', async () => {
    const server = fakeServer();
    let cookie = 'r0'; // one cookie jar for the origin
    const locks = sharedLock();
    const channel = sharedChannel();
    const refresh = server.refreshWith(() => cookie, (v) => (cookie = v));
    const tabA = new RefreshCoordinator({ refresh, locks, channel: channel() });
    const tabB = new RefreshCoordinator({ refresh, locks, channel: channel() });

    const [a, b] = await Promise.all([tabA.refresh(null), tabB.refresh(null)]);
    expect(a.kind).toBe('ok');
    expect(b.kind).toBe('ok');
    expect(server.stats()).toEqual({ calls: 1, maxActive: 1, revoked: false });
    if (a.kind === 'ok' && b.kind === 'ok') expect(b.token.token).toBe(a.token.token);
  });

  it('without coordination the same race revokes the session (the failure this prevents)', async () => {
    const server = fakeServer();
    let cookie = 'r0';
    const refresh = server.refreshWith(() => cookie, (v) => (cookie = v));
    const tabA = new RefreshCoordinator({ refresh });
    const tabB = new RefreshCoordinator({ refresh });
    await Promise.all([tabA.refresh(null), tabB.refresh(null)]);
    expect(server.stats().revoked).toBe(true);
  });

  it('a tab whose token the server rejected gets a different one, serialised behind the lock', async () => {
    const server = fakeServer();
    let cookie = 'r0';
    const locks = sharedLock();
    const channel = sharedChannel();
    const refresh = server.refreshWith(() => cookie, (v) => (cookie = v));
    const tabA = new RefreshCoordinator({ refresh, locks, channel: channel() });
    const tabB = new RefreshCoordinator({ refresh, locks, channel: channel() });
    const first = await tabA.refresh(null);
    expect(first.kind).toBe('ok');
    const rejected = first.kind === 'ok' ? first.token.token : null;
    await new Promise((r) => setTimeout(r, 0)); // let B receive A's broadcast
    const [againA, againB] = await Promise.all([tabA.refresh(rejected), tabB.refresh(rejected)]);
    expect(againA.kind === 'ok' && againA.token.token !== rejected).toBe(true);
    expect(againB.kind === 'ok' && againB.token.token !== rejected).toBe(true);
    expect(server.stats()).toEqual({ calls: 2, maxActive: 1, revoked: false });
  });

  it('concurrent callers in one tab share one request; an unreachable server is reported as such', async () => {
    let calls = 0;
    const tab = new RefreshCoordinator({
      refresh: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 5));
        return { kind: 'unreachable' };
      },
    });
    const results = await Promise.all([tab.refresh(null), tab.refresh(null), tab.refresh(null)]);
    expect(calls).toBe(1);
    expect(results.map((r) => r.kind)).toEqual(['unreachable', 'unreachable', 'unreachable']);
  });

  it('does not hand out a token that is about to expire', async () => {
    let now = 1_000_000;
    let calls = 0;
    const tab = new RefreshCoordinator({
      now: () => now,
      refresh: async () => ({ kind: 'ok', token: { token: `t${++calls}`, expiresAt: now + 60_000 } }),
    });
    await tab.refresh(null);
    now += 45_000; // 15 s left, below the 30 s minimum
    const next = await tab.refresh(null);
    expect(calls).toBe(2);
    expect(next.kind === 'ok' && next.token.token).toBe('t2');
  });
});
