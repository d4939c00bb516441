// Task details, a dialog over the board (full screen on phones): every field of the task, checklist,
// comments, attachments, and the server's activity log. Opening it advertises presence and clears the
// "changed by others" mark.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { deleteTask, readTask, restoreTask, updateTask } from '../../../shared/doc-model.ts';
import { Dialog } from '../components/dialog.tsx';
import { navigate, paths } from '../router.ts';
import { useChangedByOthers, useDocValue, type ProjectSessionView } from '../sync/project-session.ts';
import { ActivityTab } from './activity-tab.tsx';
import { AttachmentsList } from './attachments-list.tsx';
import { ChecklistEditor } from './checklist-editor.tsx';
import { CommentThread } from './comment-thread.tsx';
import { DescriptionEditor } from './description-editor.tsx';
import { TaskFields } from './task-fields.tsx';
import { useDocWrite } from './use-doc-write.ts';

export interface MemberOption {
  id: string;
  name: string;
}

interface TaskDetailsProps {
  session: ProjectSessionView;
  projectId: string;
  taskId: string;
  readOnly: boolean;
  members: MemberOption[];
}

export function TaskDetails({ session, projectId, taskId, readOnly, members }: TaskDetailsProps) {
  const { doc } = session;
  const task = useDocValue(doc, (d) => readTask(d, taskId), [taskId]);
  const { markSeen } = useChangedByOthers(projectId);
  const write = useDocWrite(session.origin, session.userId);
  const [tab, setTab] = useState<'details' | 'activity'>('details');
  const close = () => navigate(paths.board(projectId));
  const { setOpenTask } = session;

  useEffect(() => {
    setOpenTask(taskId);
    return () => setOpenTask(null);
  }, [setOpenTask, taskId]);
  const updatedAt = task?.updated_at;
  useEffect(() => {
    markSeen(taskId);
  }, [markSeen, taskId, updatedAt]);

  if (!task) {
    return (
      <Dialog title="Task not found" onClose={close} variant="panel">
        <p>This task does not exist on this board, or it has not synced to this device yet.</p>
      </Dialog>
    );
  }
  const deleted = task.deleted_at !== null;

  return (
    <Dialog title={task.title || 'Untitled task'} onClose={close} variant="panel" className="task-dialog" hideTitle>
      {write.error && (
        <p className="alert alert-error" role="alert">
          {write.error}
        </p>
      )}
      {deleted && (
        <div className="alert alert-warning" role="status">
          This task was deleted.{' '}
          {!readOnly && (
            <button type="button" onClick={() => write.run((ctx) => restoreTask(doc, task.id, ctx))}>
              Restore
            </button>
          )}
        </div>
      )}
      <TitleField title={task.title} readOnly={readOnly || deleted} onSave={(title) => write.run((ctx) => updateTask(doc, task.id, { title }, ctx))} />
      <Tabs tab={tab} onChange={setTab} />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="task-panel">
        {tab === 'details' ? (
          <>
            <TaskFields task={task} doc={doc} write={write.run} readOnly={readOnly || deleted} members={members} />
            <DescriptionEditor doc={doc} taskId={task.id} origin={session.origin} readOnly={readOnly || deleted} />
            <ChecklistEditor task={task} doc={doc} write={write.run} readOnly={readOnly || deleted} />
            <AttachmentsList
              doc={doc}
              taskId={task.id}
              members={members}
              upload={readOnly || deleted ? undefined : { projectId, ctx: { ...write.ctx, userId: session.userId } }}
            />
            <CommentThread doc={doc} taskId={task.id} write={write.run} readOnly={readOnly || deleted} selfId={session.userId} role={session.role} members={members} />
            {!readOnly && !deleted && (
              <div className="form-actions task-danger">
                <button
                  type="button"
                  className="danger"
                  onClick={() => {
                    const done = write.run((ctx) => {
                      deleteTask(doc, task.id, ctx);
                      return true;
                    });
                    if (done) close();
                  }}
                >
                  Delete task
                </button>
              </div>
            )}
          </>
        ) : (
          <ActivityTab taskId={task.id} members={members} />
        )}
      </div>
    </Dialog>
  );
}

function TitleField({ title, readOnly, onSave }: { title: string; readOnly: boolean; onSave: (title: string) => void }) {
  const [draft, setDraft] = useState(title);
  const [error, setError] = useState<string | null>(null);
  const editing = useRef(false);
  const id = useId();
  useEffect(() => {
    // Someone else renamed it while we were not typing: show their title.
    if (!editing.current) setDraft(title);
  }, [title]);
  const commit = () => {
    editing.current = false;
    const trimmed = draft.trim();
    if (!trimmed) {
      setError('A task needs a title');
      setDraft(title);
      return;
    }
    setError(null);
    if (trimmed !== title) onSave(trimmed);
  };
  return (
    <div className="field task-title-field">
      <label htmlFor={id}>Title</label>
      <input
        id={id}
        type="text"
        className="task-title-input"
        value={draft}
        readOnly={readOnly}
        maxLength={500}
        aria-invalid={error ? true : undefined}
        onFocus={() => (editing.current = true)}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
      />
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}

function Tabs({ tab, onChange }: { tab: 'details' | 'activity'; onChange: (tab: 'details' | 'activity') => void }) {
  const tabs = ['details', 'activity'] as const;
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    event.preventDefault();
    const next = tab === 'details' ? 'activity' : 'details';
    onChange(next);
    requestAnimationFrame(() => document.getElementById(`tab-${next}`)?.focus());
  };
  return (
    <div role="tablist" aria-label="Task sections" className="tabs" onKeyDown={onKey}>
      {tabs.map((t) => (
        <button
          key={t}
          type="button"
          role="tab"
          id={`tab-${t}`}
          aria-selected={tab === t}
          aria-controls={`panel-${t}`}
          tabIndex={tab === t ? 0 : -1}
          onClick={() => onChange(t)}
        >
          {t === 'details' ? 'Details' : 'Activity'}
        </button>
      ))}
    </div>
  );
}
