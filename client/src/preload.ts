// Code kept out of start-up evaluation (screens, the task dialog, the API's zod schemas: see
// components/lazy.tsx and api/schemas.ts) registers a loader here; preloadLater() runs them all in the
// background a second after start-up, when the page is idle (after a cold board open's first paint), so the
// first use of any of them does not pay its evaluation. The build ships them inside the one script
// (vite.config.ts), so a loader only evaluates; with a code-split build it would also fetch, and it must then
// run soon, because local actions offline need that code (a first visit's service worker may not have
// precached a chunk yet when the network goes).
const loaders: (() => Promise<unknown>)[] = [];

export function registerPreload(load: () => Promise<unknown>): void {
  loaders.push(load);
}

let scheduled = false;
export function preloadLater(delayMs = 1000): void {
  if (scheduled) return;
  scheduled = true;
  const idle = (fn: () => void) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 5000 }) : setTimeout(fn, 0));
  setTimeout(() => idle(() => void Promise.all(loaders.map((load) => load().catch(() => {})))), delayMs);
}
