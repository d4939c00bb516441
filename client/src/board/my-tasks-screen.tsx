// Tasks assigned to me across every project, from the local index (works offline), soonest due first.
import { useMemo, useState } from 'react';
import { useMyTasks } from '../db/live-queries.ts';
import { Link } from '../components/link.tsx';
import { paths } from '../router.ts';
import { COLUMN_NAMES, formatDue, PRIORITY_NAMES } from './board-labels.ts';
import { isOverdue } from './filter-tasks.ts';

export function MyTasksScreen() {
  const tasks = useMyTasks();
  const [showDone, setShowDone] = useState(false);
  const today = useMemo(() => new Date(), []);
  const visible = useMemo(
    () =>
      (tasks ?? [])
        .filter((t) => showDone || t.status !== 'DONE'),
    [tasks, showDone],
  );
  return (
    <main className="page" id="main">
      <div className="page-header">
        <h1>My tasks</h1>
        <label className="toggle">
          <input type="checkbox" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} /> Show done
        </label>
      </div>
      {tasks === undefined ? (
        <p className="empty" role="status">
          Loading…
        </p>
      ) : visible.length === 0 ? (
        <p className="empty">Nothing assigned to you{showDone ? '' : ' that is still open'}.</p>
      ) : (
        <ul className="my-tasks-list">
          {visible.map((task) => (
            <li key={task.id}>
              <Link href={paths.task(task.project_id, task.id)}>{task.title}</Link>
              <span className="badge">{task.project_name}</span>
              <span className="badge">{COLUMN_NAMES[task.status]}</span>
              <span className="muted">{PRIORITY_NAMES[task.priority]}</span>
              {task.due_date && (
                <span className={isOverdue(task, today) ? 'due-overdue' : 'muted'}>
                  {isOverdue(task, today) ? 'Overdue · ' : 'Due '}
                  {formatDue(task.due_date)}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
