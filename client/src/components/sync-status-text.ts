// The words of the sync indicator, kept pure so a test pins them.

export type SyncState = 'offline' | 'connecting' | 'syncing' | 'saved' | 'unsaved';

function time(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The exact words of the sync indicator; "All changes saved" is only ever shown for the 'saved' state. */
export function syncStatusText(state: SyncState, unsavedCount: number, lastSavedAt: number | null): string {
  const pending = unsavedCount === 1 ? '1 change not saved yet' : `${unsavedCount} changes not saved yet`;
  switch (state) {
    case 'offline':
      return unsavedCount > 0 ? `Offline · ${pending}` : 'Offline';
    case 'connecting':
      return 'Connecting…';
    case 'syncing':
      return 'Syncing…';
    case 'saved':
      return lastSavedAt ? `All changes saved · ${time(lastSavedAt)}` : 'All changes saved';
    case 'unsaved':
      return pending;
  }
}
