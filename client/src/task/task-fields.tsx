// The task's scalar fields. Selects and dates save on change; hours save when the field is left, so
// a half-typed number is never written.
import { useEffect, useId, useState } from 'react';
import type * as Y from 'yjs';
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '../../../shared/api.ts';
import { moveTask, updateTask, type Task, type WriteContext } from '../../../shared/doc-model.ts';
import { COLUMN_NAMES, PRIORITY_NAMES } from '../board/board-labels.ts';
import { isOverdue } from '../board/filter-tasks.ts';
import { TagEditor } from './tag-editor.tsx';
import type { MemberOption } from './task-details.tsx';

export type Write = <T>(fn: (ctx: WriteContext) => T) => T | undefined;

interface TaskFieldsProps {
  task: Task;
  doc: Y.Doc;
  write: Write;
  readOnly: boolean;
  members: MemberOption[];
}

export function TaskFields({ task, doc, write, readOnly, members }: TaskFieldsProps) {
  const id = useId();
  const assigneeKnown = !task.assignee_id || members.some((m) => m.id === task.assignee_id);
  return (
    <div className="task-fields">
      <div className="field">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={task.status}
          disabled={readOnly}
          onChange={(e) => write((ctx) => moveTask(doc, task.id, { status: e.target.value as TaskStatus }, ctx))}
        >
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {COLUMN_NAMES[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-priority`}>Priority</label>
        <select
          id={`${id}-priority`}
          value={task.priority}
          disabled={readOnly}
          onChange={(e) => write((ctx) => updateTask(doc, task.id, { priority: e.target.value as TaskPriority }, ctx))}
        >
          {TASK_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {PRIORITY_NAMES[p]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-assignee`}>Assignee</label>
        <select
          id={`${id}-assignee`}
          value={task.assignee_id ?? ''}
          disabled={readOnly}
          onChange={(e) => write((ctx) => updateTask(doc, task.id, { assignee_id: e.target.value || null }, ctx))}
        >
          <option value="">Unassigned</option>
          {!assigneeKnown && <option value={task.assignee_id!}>Former member</option>}
          {members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-due`}>Due date</label>
        <input
          id={`${id}-due`}
          type="date"
          value={task.due_date ?? ''}
          readOnly={readOnly}
          aria-describedby={isOverdue(task, new Date()) ? `${id}-overdue` : undefined}
          onChange={(e) => write((ctx) => updateTask(doc, task.id, { due_date: e.target.value || null }, ctx))}
        />
        {isOverdue(task, new Date()) && (
          <p id={`${id}-overdue`} className="field-error">
            Overdue
          </p>
        )}
      </div>
      <HoursField label="Estimated hours" value={task.estimated_hours} readOnly={readOnly} onSave={(v) => write((ctx) => updateTask(doc, task.id, { estimated_hours: v }, ctx))} />
      <HoursField label="Actual hours" value={task.actual_hours} readOnly={readOnly} onSave={(v) => write((ctx) => updateTask(doc, task.id, { actual_hours: v }, ctx))} />
      <TagEditor task={task} doc={doc} write={write} readOnly={readOnly} />
    </div>
  );
}

function HoursField({ label, value, readOnly, onSave }: { label: string; value: number | null; readOnly: boolean; onSave: (value: number | null) => void }) {
  const id = useId();
  const [draft, setDraft] = useState(value === null ? '' : String(value));
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!editing) setDraft(value === null ? '' : String(value));
  }, [value, editing]);
  const commit = () => {
    setEditing(false);
    const trimmed = draft.trim().replace(',', '.');
    if (trimmed === '') {
      setError(null);
      if (value !== null) onSave(null);
      return;
    }
    const parsed = Number(trimmed);
    if (!Number.isFinite(parsed) || parsed < 0 || parsed > 100_000) {
      setError('Enter a number of hours from 0 to 100000');
      return;
    }
    setError(null);
    const rounded = Math.round(parsed * 100) / 100;
    if (rounded !== value) onSave(rounded);
  };
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={0}
        step={0.25}
        value={draft}
        readOnly={readOnly}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onFocus={() => setEditing(true)}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
