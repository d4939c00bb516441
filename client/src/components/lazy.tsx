// Screens and dialogs a cold board open does not show, behind dynamic imports: start-up evaluates only what
// the first paint needs. The build inlines the imports into the one script (vite.config.ts: a classic script,
// so Chromium uses the code cache the service worker stores beside it), so each is evaluated on first render or
// by preload.ts once the app is idle. With a code-split build a chunk could fail to load (a deploy replaced it
// mid-session): that shows a way out, not a crash.
import { Component, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { registerPreload } from '../preload.ts';

type Loader<P> = () => Promise<ComponentType<P>>;

/** A component behind a dynamic import, loaded on first render (or by preloadLater). */
export function lazyComponent<P extends object>(load: Loader<P>): ComponentType<P> {
  let loading: Promise<{ default: ComponentType<P> }> | null = null;
  const start = () => {
    loading ??= load().then(
      (component) => ({ default: component }),
      (error: unknown) => {
        // A failed preload is retried by the first render; a failed render shows LoadBoundary (React
        // remembers the failure of that component until the page reloads).
        loading = null;
        throw new ChunkLoadError(error);
      },
    );
    return loading;
  };
  registerPreload(start);
  const Lazy = lazy(start);
  function LazyComponent(props: P) {
    return (
      <LoadBoundary>
        <Suspense fallback={null}>
          <Lazy {...props} />
        </Suspense>
      </LoadBoundary>
    );
  }
  return LazyComponent;
}

/** A dynamic import that failed (a chunk that did not load in a code-split build, or a module whose evaluation threw),
 * as opposed to an error of the component once loaded. */
class ChunkLoadError extends Error {
  constructor(cause: unknown) {
    super('a part of the app could not be loaded', { cause });
    this.name = 'ChunkLoadError';
  }
}

/**
 * Shown when a dynamic import fails (with code splitting, usually an app update that replaced the chunk while
 * this page was open). Any other error (a bug in the loaded component) is thrown on to the boundaries above,
 * not disguised as this one.
 */
class LoadBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    if (!(error instanceof ChunkLoadError)) throw error;
    return (
      <div className="page" role="alert">
        <p>This part of Fieldboard could not be loaded. Your changes are kept on this device.</p>
        <button type="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
