import { useSyncStatus } from '../sync/project-session.ts';
import { syncStatusText } from './sync-status-text.ts';

export function SyncStatus({ projectId }: { projectId?: string }) {
  const { state, unsavedCount, lastSavedAt } = useSyncStatus(projectId);
  const text = syncStatusText(state, unsavedCount, lastSavedAt);
  const title = lastSavedAt ? `Last saved at ${new Date(lastSavedAt).toLocaleString()}` : 'Not saved to the server yet';
  return (
    <span className="sync-status" data-state={state} role="status" aria-live="polite" title={title} data-testid="sync-status">
      {text}
    </span>
  );
}
