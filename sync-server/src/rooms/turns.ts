// Long work on a large document, cut so that the event loop turns in between: while one room loads or compacts
// a 3.5 MB project, every other room of the process keeps relaying, acknowledging and accepting connections.

/** Resolves on the event loop's next turn (after the I/O that arrived meanwhile). */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A pause to call between small units of work: it yields the event loop once `sliceMs` have passed since the
 * last yield, and otherwise returns at once (a small document's work then takes no extra turn).
 */
export function pauser(sliceMs: number): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < sliceMs) return undefined;
    return nextTurn().then(() => {
      since = performance.now();
    });
  };
}
