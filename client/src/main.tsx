// Bootstrap: decide the session (online, offline from the last profile, or anonymous), start background
// sync, register the service worker, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { initSession } from './auth/session.ts';
import { StorageWarning } from './pwa/storage.tsx';
import { registerServiceWorker } from './pwa/register-sw.ts';
import { UpdatePrompt } from './pwa/update-prompt.tsx';
import { startBackgroundSync } from './sync/background-sync.ts';

// Start-up marks (performance.mark, 'fb:' prefix) let a profile or the benchmark see where a cold open
// spends its time: here every module has been evaluated; project-doc-session.ts marks the rest.
performance.mark('fb:modules-evaluated');
startBackgroundSync();
void initSession();
registerServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
    <div className="pwa-toasts">
      <UpdatePrompt />
      <StorageWarning />
    </div>
  </StrictMode>,
);
