import { useState } from 'react';
import { can } from '../../../shared/roles.ts';
import { useProject } from '../db/live-queries.ts';
import { Dialog } from '../components/dialog.tsx';
import { Link } from '../components/link.tsx';
import { navigate, paths } from '../router.ts';
import { deleteProject, updateProject } from './project-store.ts';
import { ProjectForm, toProjectInput, DEFAULT_PROJECT_COLOR } from './project-form.tsx';

export function ProjectSettingsScreen({ projectId }: { projectId: string }) {
  const project = useProject(projectId);
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  if (project === undefined) return <p className="empty" role="status">Loading…</p>;
  if (!project) {
    return (
      <main className="page" id="main">
        <h1>Project not found</h1>
        <p>It may have been deleted, or you are no longer a member. <Link href={paths.projects()}>Back to projects</Link></p>
      </main>
    );
  }
  const editable = can(project.role, 'project.update');
  return (
    <main className="page narrow" id="main">
      <div className="page-header">
        <h1>Settings: {project.name}</h1>
        <Link className="button" href={paths.board(project.id)}>
          Back to board
        </Link>
      </div>
      {!editable && <p className="alert alert-info">Only managers and admins can change project settings.</p>}
      {saved && (
        <p className="alert alert-info" role="status">
          Settings saved.
        </p>
      )}
      <ProjectForm
        key={project.updated_at}
        readOnly={!editable}
        initial={{
          name: project.name,
          description: project.description,
          color: project.color ?? DEFAULT_PROJECT_COLOR,
          status: project.status,
          start_date: project.start_date ?? '',
          end_date: project.end_date ?? '',
        }}
        submitLabel="Save settings"
        onSubmit={async (values) => {
          setSaved(false);
          await updateProject(project.id, toProjectInput(values));
          setSaved(true);
        }}
      />
      {can(project.role, 'project.delete') && (
        <section className="danger-zone" aria-labelledby="danger-title">
          <h2 id="danger-title">Delete project</h2>
          <p className="muted">The project and its board disappear for every member.</p>
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
            Delete project…
          </button>
        </section>
      )}
      {confirmDelete && (
        <Dialog title={`Delete ${project.name}?`} onClose={() => setConfirmDelete(false)}>
          {deleteError && <p className="alert alert-error" role="alert">{deleteError}</p>}
          <p>Every member loses access to this board.</p>
          <div className="form-actions">
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Keep project
            </button>
            <button
              type="button"
              className="danger"
              onClick={async () => {
                try {
                  await deleteProject(project.id);
                  navigate(paths.projects(), { replace: true });
                } catch (error) {
                  setDeleteError(error instanceof Error ? error.message : 'Could not delete the project.');
                }
              }}
            >
              Delete project
            </button>
          </div>
        </Dialog>
      )}
    </main>
  );
}
