// Recently deleted tasks and comments of one project, newest first, each with restore for those allowed:
// tasks for editors; comments for their author or a moderator (the same rule as deleting them).
import type * as Y from 'yjs';
import { readComments, readTasks, restoreComment, restoreTask } from '../../../shared/doc-model.ts';
import { can } from '../../../shared/roles.ts';
import { Link } from '../components/link.tsx';
import { paths } from '../router.ts';
import { useDocValue, useProjectSession } from '../sync/project-session.ts';
import { useDocWrite } from '../task/use-doc-write.ts';
import { COLUMN_NAMES } from './board-labels.ts';

function readDeleted(doc: Y.Doc) {
  const tasks = readTasks(doc, { includeDeleted: true }).tasks;
  const titles = new Map(tasks.map((t) => [t.id, t.title]));
  return {
    tasks: tasks.filter((t) => t.deleted_at !== null).sort((a, b) => b.deleted_at!.localeCompare(a.deleted_at!)),
    comments: readComments(doc)
      .comments.filter((c) => c.deleted_at !== null)
      .sort((a, b) => b.deleted_at!.localeCompare(a.deleted_at!))
      .map((c) => ({ ...c, taskTitle: titles.get(c.task_id) ?? 'a task' })),
  };
}

export function DeletedScreen({ projectId }: { projectId: string }) {
  const session = useProjectSession(projectId);
  const deleted = useDocValue(session?.ready ? session.doc : null, readDeleted);
  const write = useDocWrite(session?.origin, session?.userId ?? '');
  const editable = can(session?.role ?? null, 'board.write');
  const moderator = can(session?.role ?? null, 'comments.moderate');
  const when = (iso: string) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <main className="page narrow" id="main">
      <div className="page-header">
        <h1>Recently deleted</h1>
        <Link className="button" href={paths.board(projectId)}>
          Back to board
        </Link>
      </div>
      {write.error && (
        <p className="alert alert-error" role="alert">
          {write.error}
        </p>
      )}
      {!deleted ? (
        <p className="empty" role="status">
          Loading…
        </p>
      ) : (
        <>
          <h2>Tasks</h2>
          {deleted.tasks.length === 0 ? (
            <p className="muted">No deleted tasks.</p>
          ) : (
            <ul className="deleted-list">
              {deleted.tasks.map((task) => (
                <li key={task.id}>
                  <div>
                    <strong>{task.title}</strong>
                    <br />
                    <span className="muted">
                      {COLUMN_NAMES[task.status]} · deleted {when(task.deleted_at!)}
                    </span>
                  </div>
                  {editable && session && (
                    <button type="button" onClick={() => write.run((ctx) => restoreTask(session.doc, task.id, ctx))} aria-label={`Restore ${task.title}`}>
                      Restore
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
          <h2 className="section-gap">Comments</h2>
          {deleted.comments.length === 0 ? (
            <p className="muted">No deleted comments.</p>
          ) : (
            <ul className="deleted-list">
              {deleted.comments.map((comment) => (
                <li key={comment.id}>
                  <div>
                    <span>{comment.content}</span>
                    <br />
                    <span className="muted">
                      On <Link href={paths.task(projectId, comment.task_id)}>{comment.taskTitle}</Link> · deleted {when(comment.deleted_at!)}
                    </span>
                  </div>
                  {editable && session && (moderator || comment.author_id === session.userId) && (
                    <button type="button" onClick={() => write.run((ctx) => restoreComment(session.doc, comment.id, ctx))} aria-label={`Restore comment on ${comment.taskTitle}`}>
                      Restore
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </main>
  );
}
