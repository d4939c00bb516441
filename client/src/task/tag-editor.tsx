// Tags of a task: toggle existing project tags, or create a new one by name (then it is assigned).
import { useId, useState, type CSSProperties, type FormEvent } from 'react';
import type * as Y from 'yjs';
import { createTag, readTags, setTaskTags, type Task } from '../../../shared/doc-model.ts';
import { useDocValue } from '../sync/project-session.ts';
import type { Write } from './task-fields.tsx';

const PALETTE = ['#d92d20', '#d97706', '#16a34a', '#0891b2', '#2563eb', '#7c3aed', '#db2777', '#4b5563'];

export function TagEditor({ task, doc, write, readOnly }: { task: Task; doc: Y.Doc; write: Write; readOnly: boolean }) {
  const tags = useDocValue(doc, (d) => readTags(d));
  const [name, setName] = useState('');
  const id = useId();
  const assigned = new Set(task.tag_ids);

  const toggle = (tagId: string) => {
    const next = assigned.has(tagId) ? task.tag_ids.filter((t) => t !== tagId) : [...task.tag_ids, tagId];
    write((ctx) => setTaskTags(doc, task.id, next, ctx));
  };
  const create = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    const existing = tags.find((t) => t.name.toLowerCase() === trimmed.toLowerCase());
    write((ctx) => {
      const tagId = existing?.id ?? createTag(doc, { name: trimmed, color: PALETTE[tags.length % PALETTE.length] }, ctx);
      if (!assigned.has(tagId)) setTaskTags(doc, task.id, [...task.tag_ids, tagId], ctx);
    });
    setName('');
  };

  return (
    <fieldset className="tag-editor">
      <legend>Tags</legend>
      {tags.length === 0 && <p className="muted">No tags in this project yet.</p>}
      <div className="tag-options">
        {tags.map((tag) =>
          readOnly ? (
            assigned.has(tag.id) && (
              <span key={tag.id} className="tag-chip" style={{ '--tag-color': tag.color ?? undefined } as CSSProperties}>
                {tag.name}
              </span>
            )
          ) : (
            <label key={tag.id} className="tag-toggle" style={{ '--tag-color': tag.color ?? undefined } as CSSProperties}>
              <input type="checkbox" checked={assigned.has(tag.id)} onChange={() => toggle(tag.id)} />
              {tag.name}
            </label>
          ),
        )}
      </div>
      {!readOnly && (
        <form className="inline-form" onSubmit={create}>
          <label htmlFor={id} className="visually-hidden">
            New tag name
          </label>
          <input id={id} type="text" placeholder="New tag" maxLength={50} value={name} onChange={(e) => setName(e.target.value)} />
          <button type="submit" disabled={!name.trim()}>
            Add tag
          </button>
        </form>
      )}
    </fieldset>
  );
}
