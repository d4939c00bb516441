import { useId, useState, type FormEvent } from 'react';
import type { TaskStatus } from '../../../shared/api.ts';
import { COLUMN_NAMES } from './board-labels.ts';

/** Type a title, press Enter: the task is added at the bottom of the column and the field stays ready. */
export function QuickAdd({ status, onAdd, onAdded }: { status: TaskStatus; onAdd: (status: TaskStatus, title: string) => void; onAdded: () => void }) {
  const [title, setTitle] = useState('');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    onAdd(status, trimmed);
    setTitle('');
    requestAnimationFrame(onAdded);
  };
  return (
    <form className="quick-add" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        New task in {COLUMN_NAMES[status]}
      </label>
      <input id={id} type="text" placeholder="Add a task" value={title} maxLength={500} onChange={(e) => setTitle(e.target.value)} />
      <button type="submit" aria-label={`Add task to ${COLUMN_NAMES[status]}`} disabled={!title.trim()}>
        Add
      </button>
    </form>
  );
}
