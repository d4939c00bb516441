// Work that must happen soon, and must not be lost, but that the frame a user is waiting for does not need:
// storing a local edit in IndexedDB and sending it to the server. A keyboard drop used to do both inside
// the keydown task, before the browser could paint the moved card (bench scenario 7).
//
// deferPastPaint(fn) runs fn in a task after the next paint, in the order deferred. It runs everything at
// once instead when the page is going away or being hidden (pagehide, visibilitychange to hidden, freeze,
// beforeunload), when a hidden page would paint no frame, or when flushDeferred() is called; a page closed
// right after an edit therefore still starts its writes before it goes.
import { afterNextPaint } from './after-paint.ts';

/** A frame normally comes within 16 ms; this bounds the wait when none does (a throttled tab). */
const FALLBACK_MS = 200;

const queue: (() => void)[] = [];
let cancelScheduled: (() => void) | null = null;
let exitListeners = false;

function pageHidden(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'hidden';
}

function listenForExit(): void {
  if (exitListeners || typeof window === 'undefined') return;
  exitListeners = true;
  // Capture phase on window: before any listener of the page's own that checks what is still unwritten.
  const flush = () => flushDeferred();
  window.addEventListener('pagehide', flush, { capture: true });
  window.addEventListener('beforeunload', flush, { capture: true });
  document.addEventListener('freeze', flush, { capture: true });
  document.addEventListener(
    'visibilitychange',
    () => {
      if (pageHidden()) flushDeferred();
    },
    { capture: true },
  );
}

/** Runs `fn` after the next paint (see above); never later than a page exit or flushDeferred(). */
export function deferPastPaint(fn: () => void): void {
  if (pageHidden()) {
    // No frame to wait for: keep the order of what is already queued, then run this too.
    queue.push(fn);
    flushDeferred();
    return;
  }
  listenForExit();
  queue.push(fn);
  cancelScheduled ??= afterNextPaint(flushDeferred, FALLBACK_MS);
}

/** Something is waiting for the next paint (a socket keeps later frames behind it, in order). */
export function hasDeferredWork(): boolean {
  return queue.length > 0;
}

/** Runs everything deferred now, in order (also what a page exit does). */
export function flushDeferred(): void {
  cancelScheduled?.();
  cancelScheduled = null;
  while (queue.length > 0) {
    const fn = queue.shift()!;
    try {
      fn();
    } catch (error) {
      console.warn('fieldboard: deferred work failed', error);
    }
  }
}
