// Checklist: add, edit in place, tick, reorder with up/down buttons (keyboard friendly), remove.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type * as Y from 'yjs';
import {
  addChecklistItem,
  editChecklistItem,
  moveChecklistItem,
  removeChecklistItem,
  toggleChecklistItem,
  type ChecklistItem,
  type Task,
} from '../../../shared/doc-model.ts';
import type { Write } from './task-fields.tsx';

export function ChecklistEditor({ task, doc, write, readOnly }: { task: Task; doc: Y.Doc; write: Write; readOnly: boolean }) {
  const [text, setText] = useState('');
  const id = useId();
  const items = task.checklist;
  const done = items.filter((i) => i.done).length;

  const add = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (!trimmed) return;
    write((ctx) => addChecklistItem(doc, task.id, trimmed, ctx));
    setText('');
  };

  return (
    <section className="checklist" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        Checklist {items.length > 0 && <span className="muted">({done} of {items.length} done)</span>}
      </h3>
      {items.length > 0 && (
        <ul className="checklist-items">
          {items.map((item, index) => (
            <ChecklistRow
              key={item.id}
              item={item}
              index={index}
              count={items.length}
              readOnly={readOnly}
              onToggle={(value) => write((ctx) => toggleChecklistItem(doc, task.id, item.id, value, ctx))}
              onEdit={(value) => write((ctx) => editChecklistItem(doc, task.id, item.id, value, ctx))}
              onMove={(to) => write((ctx) => moveChecklistItem(doc, task.id, item.id, to, ctx))}
              onRemove={() => write((ctx) => removeChecklistItem(doc, task.id, item.id, ctx))}
            />
          ))}
        </ul>
      )}
      {!readOnly && (
        <form className="inline-form" onSubmit={add}>
          <label htmlFor={`${id}-new`} className="visually-hidden">
            New checklist item
          </label>
          <input id={`${id}-new`} type="text" placeholder="Add an item" maxLength={500} value={text} onChange={(e) => setText(e.target.value)} />
          <button type="submit" disabled={!text.trim()}>
            Add item
          </button>
        </form>
      )}
    </section>
  );
}

interface RowProps {
  item: ChecklistItem;
  index: number;
  count: number;
  readOnly: boolean;
  onToggle: (done: boolean) => void;
  onEdit: (text: string) => void;
  onMove: (toIndex: number) => void;
  onRemove: () => void;
}

function ChecklistRow({ item, index, count, readOnly, onToggle, onEdit, onMove, onRemove }: RowProps) {
  const [draft, setDraft] = useState(item.text);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!editing) setDraft(item.text);
  }, [item.text, editing]);
  const commit = () => {
    setEditing(false);
    const trimmed = draft.trim();
    if (!trimmed) setDraft(item.text);
    else if (trimmed !== item.text) onEdit(trimmed);
  };
  return (
    <li className="checklist-row" data-done={item.done || undefined}>
      <input type="checkbox" checked={item.done} disabled={readOnly} onChange={(e) => onToggle(e.target.checked)} aria-label={`Done: ${item.text}`} />
      {readOnly ? (
        <span className="checklist-text">{item.text}</span>
      ) : (
        <input
          type="text"
          className="checklist-text"
          aria-label={`Checklist item ${index + 1}`}
          value={draft}
          maxLength={500}
          onFocus={() => setEditing(true)}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              commit();
            }
          }}
        />
      )}
      {!readOnly && (
        <span className="row-actions">
          <button type="button" aria-label={`Move up: ${item.text}`} disabled={index === 0} onClick={() => onMove(index - 1)}>
            ↑
          </button>
          <button type="button" aria-label={`Move down: ${item.text}`} disabled={index === count - 1} onClick={() => onMove(index + 1)}>
            ↓
          </button>
          <button type="button" aria-label={`Remove: ${item.text}`} onClick={onRemove}>
            ×
          </button>
        </span>
      )}
    </li>
  );
}
