// Durable storage: ask the browser not to evict this origin's data (offline changes live only here until
// synced), and warn before the quota runs out.
import { useEffect, useState } from 'react';

/** Asks once per page load; browsers may grant silently (installed app, engagement) or refuse. */
let asked: Promise<boolean> | null = null;
export function requestPersistentStorage(): Promise<boolean> {
  if (asked) return asked;
  asked = (async () => {
    try {
      if (!navigator.storage?.persist) return false;
      if (await navigator.storage.persisted()) return true;
      return await navigator.storage.persist();
    } catch {
      return false;
    }
  })();
  return asked;
}

/** Less than this much free space, or more than LOW_RATIO of the quota used, counts as low. */
export const LOW_FREE_BYTES = 50 * 1024 * 1024;
export const LOW_RATIO = 0.9;

export interface StorageInfo {
  usage: number;
  quota: number;
  low: boolean;
}

export function isStorageLow(usage: number, quota: number): boolean {
  if (!quota) return false;
  return quota - usage < LOW_FREE_BYTES || usage / quota > LOW_RATIO;
}

export async function checkStorage(): Promise<StorageInfo | null> {
  try {
    if (!navigator.storage?.estimate) return null;
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    return { usage, quota, low: isStorageLow(usage, quota) };
  } catch {
    return null;
  }
}

/** Re-checked every few minutes, since offline work keeps adding data. */
export function useStorageWarning(intervalMs = 5 * 60_000): StorageInfo | null {
  const [info, setInfo] = useState<StorageInfo | null>(null);
  useEffect(() => {
    let cancelled = false;
    const run = () => void checkStorage().then((i) => !cancelled && setInfo(i));
    run();
    const timer = setInterval(run, intervalMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [intervalMs]);
  return info;
}

function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

export function StorageWarning() {
  const info = useStorageWarning();
  if (!info?.low) return null;
  return (
    <div className="banner banner-warning" role="alert">
      Storage on this device is almost full ({mb(info.usage)} of {mb(info.quota)} used). Go online so your changes can be
      saved, and free up space; otherwise new offline changes may not be kept.
    </div>
  );
}
