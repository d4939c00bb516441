// Code kept out of the start-up script (screens, the task dialog, the API's zod schemas: see
// components/lazy.tsx and api/schemas.ts) registers a loader here; preloadLater() runs them all in the
// background a second after start-up, when the page is idle (after a cold board open's first paint). Soon,
// because local actions offline need that code: a first visit's service worker may not have precached it
// yet when the network goes (creating a project offline validates with the project schemas, opening a task
// needs the dialog's chunk).
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
