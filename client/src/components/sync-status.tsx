import { useSyncStatus } from '../sync/project-session.ts';
import { syncProblemText } from '../sync/connection-status.ts';
import { syncStatusText } from './sync-status-text.ts';

export function SyncStatus({ projectId }: { projectId?: string }) {
  const { state, unsavedCount, lastSavedAt, problem } = useSyncStatus(projectId);
  const text = syncStatusText(state, unsavedCount, lastSavedAt);
  const title = problem ? syncProblemText(problem) : lastSavedAt ? `Last saved at ${new Date(lastSavedAt).toLocaleString()}` : 'Not saved to the server yet';
  return (
    <span className="sync-status" data-state={state} data-problem={problem} role="status" aria-live="polite" title={title} data-testid="sync-status">
      {text}
    </span>
  );
}
