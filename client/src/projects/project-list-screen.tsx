// Projects I belong to, from the local projection (works offline), with status filter, search and create.
import { useMemo, useState } from 'react';
import { PROJECT_STATUSES, type ProjectStatus } from '../../../shared/api.ts';
import { can } from '../../../shared/roles.ts';
import { useSession } from '../auth/session.ts';
import type { ProjectRecord } from '../db/database.ts';
import { useProjects } from '../db/live-queries.ts';
import { Dialog } from '../components/dialog.tsx';
import { Link } from '../components/link.tsx';
import { navigate, paths } from '../router.ts';
import { createProject } from './project-store.ts';
import { EMPTY_PROJECT, ProjectForm, STATUS_LABELS, toProjectInput } from './project-form.tsx';

export function ProjectListScreen() {
  const projects = useProjects();
  const userId = useSession((st) => st.user?.id ?? null);
  const [status, setStatus] = useState<ProjectStatus | ''>('');
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);

  const visible = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    return (projects ?? [])
      .filter((p) => !status || p.status === status)
      .filter((p) => words.every((w) => `${p.name} ${p.description}`.toLowerCase().includes(w)))
      .sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  }, [projects, status, search]);

  return (
    <main className="page" id="main">
      <div className="page-header">
        <h1>Projects</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New project
        </button>
      </div>
      <div className="project-toolbar" role="search">
        <label className="visually-hidden" htmlFor="project-search">
          Search projects
        </label>
        <input
          id="project-search"
          type="search"
          placeholder="Search projects"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label className="visually-hidden" htmlFor="project-status">
          Filter by status
        </label>
        <select id="project-status" value={status} onChange={(e) => setStatus(e.target.value as ProjectStatus | '')}>
          <option value="">All statuses</option>
          {PROJECT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      {projects === undefined ? (
        <p className="empty" role="status">
          Loading projects…
        </p>
      ) : visible.length === 0 ? (
        <p className="empty">
          {projects.length === 0 ? 'No projects yet. Create one to start a board.' : 'No project matches these filters.'}
        </p>
      ) : (
        <ul className="project-grid" aria-label="Projects">
          {visible.map((project) => (
            <ProjectCard key={project.id} project={project} />
          ))}
        </ul>
      )}
      {creating && (
        <Dialog title="New project" onClose={() => setCreating(false)}>
          <ProjectForm
            initial={EMPTY_PROJECT}
            submitLabel="Create project"
            onCancel={() => setCreating(false)}
            onSubmit={async (values) => {
              if (!userId) return;
              const created = await createProject(toProjectInput(values), userId);
              setCreating(false);
              navigate(paths.board(created.id));
            }}
          />
        </Dialog>
      )}
    </main>
  );
}

function ProjectCard({ project }: { project: ProjectRecord }) {
  const open = project.task_counts
    ? (project.task_counts.TODO ?? 0) + (project.task_counts.IN_PROGRESS ?? 0) + (project.task_counts.IN_REVIEW ?? 0)
    : null;
  return (
    <li className="project-card" style={{ '--project-color': project.color ?? undefined } as React.CSSProperties}>
      <h2>
        <Link href={paths.board(project.id)}>{project.name}</Link>
      </h2>
      {project.description && <p className="muted">{project.description}</p>}
      <div className="meta">
        <span className="badge">{STATUS_LABELS[project.status]}</span>
        {project.role && <span className="badge">{roleLabel(project.role)}</span>}
        {project.pending === 1 && (
          <span className="badge badge-pending" title={project.pending_error ?? 'Will be registered when you are online'}>
            {project.pending_error ? 'Not registered' : 'Waiting to sync'}
          </span>
        )}
        {open !== null && <span>{open} open tasks</span>}
        {project.end_date && <span>Ends {project.end_date}</span>}
      </div>
      {project.pending_error && <p className="field-error">{project.pending_error}</p>}
      {can(project.role, 'project.update') && (
        <div className="meta">
          <Link href={paths.settings(project.id)}>Settings</Link>
          <Link href={paths.members(project.id)}>Members</Link>
        </div>
      )}
    </li>
  );
}

export function roleLabel(role: string): string {
  return role.charAt(0) + role.slice(1).toLowerCase();
}
