// Long work on a large document, cut so that the event loop turns in between: while one room loads or compacts
// a 3.5 MB project, every other room of the process keeps relaying, acknowledging and accepting connections.

const longWorkHooks = new Set<() => void>();

/**
 * Registers `hook` to run whenever long work is about to start (a pauser is made for it) or to resume after
 * yielding, before it does; returns the unregister function. The sync server sends the frames it holds for
 * the end of the turn here (sync/turn-writes.ts): they are held until the turn's check phase, where a slice
 * that yielded in the turn before is queued ahead of them, and would otherwise wait the whole slice (10-20 ms)
 * behind it.
 */
export function beforeLongWork(hook: () => void): () => void {
  longWorkHooks.add(hook);
  return () => longWorkHooks.delete(hook);
}

function runHooks(): void {
  for (const hook of longWorkHooks) hook();
}

/** Resolves on the event loop's next turn (after the I/O that arrived meanwhile). */
export const nextTurn = (): Promise<void> =>
  new Promise<void>((resolve) =>
    setImmediate(() => {
      runHooks();
      resolve();
    }),
  );

/**
 * A pause to call between small units of work: it yields the event loop once `sliceMs` have passed since the
 * last yield, and otherwise returns at once (a small document's work then takes no extra turn).
 */
export function pauser(sliceMs: number): () => Promise<void> | undefined {
  runHooks();
  let since = performance.now();
  return () => {
    if (performance.now() - since < sliceMs) return undefined;
    return nextTurn().then(() => {
      since = performance.now();
    });
  };
}
