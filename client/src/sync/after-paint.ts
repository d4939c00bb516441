// Deferring work until the browser has shown the frame that is being prepared: a requestAnimationFrame
// callback runs just before that frame's paint, so a task queued from it runs just after. A hidden tab
// paints no frames: the fallback timer runs the work anyway.

/** Runs `fn` once, after the next paint (or after `fallbackMs` when no frame comes). Returns a cancel function. */
export function afterNextPaint(fn: () => void, fallbackMs = 500): () => void {
  let done = false;
  let task: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    if (done) return;
    done = true;
    clearTimeout(fallback);
    if (task !== null) clearTimeout(task);
    fn();
  };
  const fallback = setTimeout(run, fallbackMs);
  const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => (task = setTimeout(run, 0))) : null;
  return () => {
    done = true;
    clearTimeout(fallback);
    if (task !== null) clearTimeout(task);
    if (frame !== null) cancelAnimationFrame(frame);
  };
}

/** afterNextPaint as a promise (never rejects). */
export function nextPaint(fallbackMs?: number): Promise<void> {
  return new Promise((resolve) => afterNextPaint(resolve, fallbackMs));
}
