// Refresh-token rotation across tabs. The server revokes a whole token family when a rotated refresh token
// is presented again, and every tab of this origin shares one httpOnly refresh cookie. Two tabs refreshing at
// once would both send the same cookie, so every refresh runs under one Web Lock (navigator.locks): the
// second tab waits, and by then the first tab has broadcast its new access token, which the second adopts
// instead of rotating again. Within a tab, concurrent callers share one in-flight refresh.

export interface IssuedToken {
  token: string;
  /** Epoch ms after which the token must not be used. */
  expiresAt: number;
}

export type RefreshOutcome =
  | { kind: 'ok'; token: IssuedToken; payload?: unknown }
  /** The server refused the refresh cookie: the user must sign in again. */
  | { kind: 'rejected' }
  /** No answer (offline, server down): keep the local session, try again later. */
  | { kind: 'unreachable' };

export interface LockLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

export interface RefreshCoordinatorOptions {
  /** Performs POST /api/auth/refresh. Called only while holding the lock. */
  refresh: () => Promise<RefreshOutcome>;
  locks?: LockLike | null;
  channel?: ChannelLike | null;
  now?: () => number;
  /** A token counts as usable only if it is valid for at least this long (ms). */
  minValidityMs?: number;
  lockName?: string;
}

interface TokenMessage {
  type: 'fieldboard.token';
  token: string;
  expiresAt: number;
  payload?: unknown;
}

function isTokenMessage(data: unknown): data is TokenMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Partial<TokenMessage>;
  return m.type === 'fieldboard.token' && typeof m.token === 'string' && typeof m.expiresAt === 'number';
}

export class RefreshCoordinator {
  private readonly opts: Required<Omit<RefreshCoordinatorOptions, 'locks' | 'channel'>> & Pick<RefreshCoordinatorOptions, 'locks' | 'channel'>;
  private latest: (IssuedToken & { payload?: unknown }) | null = null;
  private inFlight: Promise<RefreshOutcome> | null = null;
  private readonly listeners = new Set<(outcome: RefreshOutcome & { kind: 'ok' }) => void>();

  constructor(options: RefreshCoordinatorOptions) {
    this.opts = { now: Date.now, minValidityMs: 30_000, lockName: 'fieldboard-auth-refresh', ...options };
    this.opts.channel?.addEventListener('message', (event) => {
      if (!isTokenMessage(event.data)) return;
      const { token, expiresAt, payload } = event.data;
      if (this.latest && this.latest.expiresAt >= expiresAt) return;
      this.latest = { token, expiresAt, payload };
      for (const listener of this.listeners) listener({ kind: 'ok', token: { token, expiresAt }, payload });
    });
  }

  /** Called with tokens another tab obtained (so this tab can adopt them without its own refresh). */
  onToken(listener: (outcome: RefreshOutcome & { kind: 'ok' }) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Record a token obtained by login/register so a later refresh in another tab does not redo it. */
  remember(token: IssuedToken): void {
    this.latest = token;
  }

  forget(): void {
    this.latest = null;
  }

  /**
   * A token different from `rejected` that is valid for a while: the freshest one known (from this tab or
   * broadcast by another), else a new one from the server.
   */
  refresh(rejected: string | null): Promise<RefreshOutcome> {
    if (this.inFlight) return this.inFlight;
    const run = async (): Promise<RefreshOutcome> => {
      const underLock = async (): Promise<RefreshOutcome> => {
        // Re-check after acquiring the lock: the previous holder may have refreshed for us.
        const known = this.usable(rejected);
        if (known) return { kind: 'ok', token: { token: known.token, expiresAt: known.expiresAt }, payload: known.payload };
        const outcome = await this.opts.refresh();
        if (outcome.kind === 'ok') {
          this.latest = { ...outcome.token, payload: outcome.payload };
          const message: TokenMessage = { type: 'fieldboard.token', ...outcome.token, payload: outcome.payload };
          this.opts.channel?.postMessage(message);
        }
        return outcome;
      };
      const locks = this.opts.locks;
      return locks ? locks.request(this.opts.lockName, underLock) : underLock();
    };
    this.inFlight = run().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private usable(rejected: string | null): (IssuedToken & { payload?: unknown }) | null {
    const t = this.latest;
    if (!t || t.token === rejected) return null;
    return t.expiresAt - this.opts.minValidityMs > this.opts.now() ? t : null;
  }
}
