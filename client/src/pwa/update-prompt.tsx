// "A new version is available": reloading swaps the app code, so it is offered only when every local
// change is saved; with unsaved changes the button waits (and says why) instead of risking them.
import { useEffect, useState } from 'react';
import { hasUnsavedChanges } from '../auth/session.ts';
import { useSyncStatus } from '../sync/project-session.ts';
import { useServiceWorker } from './register-sw.ts';
import './pwa.css';

export function UpdatePrompt() {
  const { needRefresh, offlineReady, update } = useServiceWorker();
  const { unsavedCount } = useSyncStatus();
  const [dismissed, setDismissed] = useState(false);
  const [blocked, setBlocked] = useState(false);
  // The "ready offline" note is informational: it goes away by itself.
  useEffect(() => {
    if (!offlineReady) return;
    const timer = setTimeout(() => setDismissed(true), 8000);
    return () => clearTimeout(timer);
  }, [offlineReady]);

  if (offlineReady && !needRefresh && !dismissed) {
    return (
      <div className="banner banner-info" role="status">
        Fieldboard is ready to work offline.{' '}
        <button type="button" onClick={() => setDismissed(true)}>
          OK
        </button>
      </div>
    );
  }
  if (!needRefresh || dismissed || !update) return null;

  const reload = async () => {
    // Re-check at click time: the indicator may lag behind a change made a moment ago.
    if (await hasUnsavedChanges()) {
      setBlocked(true);
      return;
    }
    await update(true);
  };
  const waiting = unsavedCount > 0 || blocked;
  return (
    <div className="banner banner-info" role="alert">
      A new version of Fieldboard is available.{' '}
      {waiting ? (
        <span>It will be offered again once all changes are saved.</span>
      ) : (
        <button type="button" onClick={() => void reload()}>
          Reload to update
        </button>
      )}{' '}
      <button type="button" onClick={() => setDismissed(true)}>
        Later
      </button>
    </div>
  );
}
