import { useState } from 'react';
import { useSession } from '../auth/session.ts';
import { paths, type Route } from '../router.ts';
import { useSyncStatus } from '../sync/project-session.ts';
import { Avatar } from './avatar.tsx';
import { Dialog } from './dialog.tsx';
import { Link } from './link.tsx';
import { MenuButton } from './menu-button.tsx';
import { SyncStatus } from './sync-status.tsx';

export function AppHeader({ route, projectId }: { route: Route; projectId?: string }) {
  const user = useSession((s) => s.user);
  const logout = useSession((s) => s.logout);
  const overall = useSyncStatus();
  const [confirming, setConfirming] = useState(false);

  const signOut = () => {
    // Signing out deletes this user's local data: warn first if some of it never reached the server.
    if (overall.unsavedCount > 0) setConfirming(true);
    else void logout({});
  };

  return (
    <header className="app-header">
      <Link className="brand" href={paths.projects()} aria-label="Fieldboard home">
        <span aria-hidden="true">▦</span>
        <span className="brand-text">&nbsp;Fieldboard</span>
      </Link>
      <nav aria-label="Main">
        <Link href={paths.projects()} aria-current={route.name === 'projects' ? 'page' : undefined}>
          Projects
        </Link>
        <Link href={paths.myTasks()} aria-current={route.name === 'my-tasks' ? 'page' : undefined}>
          My tasks
        </Link>
      </nav>
      <span className="spacer" />
      <SyncStatus projectId={projectId} />
      {user && (
        <MenuButton
          className="user-menu"
          ariaLabel={`Account: ${user.full_name}`}
          label={<Avatar id={user.id} name={user.full_name || user.email} />}
          items={[{ key: 'logout', label: 'Sign out', onSelect: signOut }]}
        />
      )}
      {confirming && (
        <Dialog title="Sign out?" onClose={() => setConfirming(false)}>
          <p role="alert">
            {overall.unsavedCount === 1 ? '1 change has' : `${overall.unsavedCount} changes have`} not reached the server
            yet. Signing out deletes them from this device.
          </p>
          <div className="form-actions">
            <button type="button" onClick={() => setConfirming(false)}>
              Stay signed in
            </button>
            <button type="button" className="danger" onClick={() => void logout({ force: true })}>
              Sign out and discard
            </button>
          </div>
        </Dialog>
      )}
    </header>
  );
}
