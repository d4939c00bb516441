// Service worker registration (vite-plugin-pwa, registerType 'prompt'): a new version waits until the
// user accepts it, so an update never reloads the page by itself.
import { registerSW } from 'virtual:pwa-register';
import { create } from 'zustand';

interface SwState {
  needRefresh: boolean;
  offlineReady: boolean;
  update: ((reload?: boolean) => Promise<void>) | null;
}

export const useServiceWorker = create<SwState>(() => ({ needRefresh: false, offlineReady: false, update: null }));

let registered = false;
export function registerServiceWorker(): void {
  if (registered || !('serviceWorker' in navigator)) return;
  registered = true;
  const update = registerSW({
    onNeedRefresh: () => useServiceWorker.setState({ needRefresh: true }),
    onOfflineReady: () => useServiceWorker.setState({ offlineReady: true }),
    onRegisteredSW: (_url, registration) => {
      // Look for a new version hourly while the app stays open (installed apps rarely reload).
      if (registration) setInterval(() => void registration.update().catch(() => {}), 60 * 60_000);
    },
  });
  useServiceWorker.setState({ update });
}
