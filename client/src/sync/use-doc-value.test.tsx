import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import * as Y from 'yjs';
import { addComment, createTask, MAP, moveTask, readComments, updateTask } from '../../../shared/doc-model.ts';
import { render, type Rendered } from '../components/test-render.tsx';
import { touchesMaps, useDocMapsValue } from './use-doc-value.ts';

let view: Rendered | null = null;
afterEach(() => {
  view?.unmount();
  view = null;
});

function lastTransaction(doc: Y.Doc, write: () => void): Y.Transaction {
  let seen: Y.Transaction | null = null;
  const on = (tr: Y.Transaction) => (seen = tr);
  doc.on('afterTransaction', on);
  write();
  doc.off('afterTransaction', on);
  return seen!;
}

describe('touchesMaps', () => {
  it('sees changes nested at any depth of the named top-level maps, and only those', () => {
    const doc = new Y.Doc();
    const task = createTask(doc, { title: 'Pump' });
    const comment = lastTransaction(doc, () => addComment(doc, { task_id: task, content: 'ok', author_id: null }));
    expect(touchesMaps(doc, comment, [MAP.comments])).toBe(true);
    expect(touchesMaps(doc, comment, [MAP.tags, MAP.attachments])).toBe(false);
    const move = lastTransaction(doc, () => moveTask(doc, task, { status: 'DONE' }));
    expect(touchesMaps(doc, move, [MAP.comments, MAP.attachments])).toBe(false);
    expect(touchesMaps(doc, move, [MAP.tasks])).toBe(true);
    // A field inside the task's entry (a nested Y.Map) counts for the tasks map.
    const edit = lastTransaction(doc, () => updateTask(doc, task, { title: 'Pump 2' }));
    expect(touchesMaps(doc, edit, [MAP.tasks])).toBe(true);
  });
});

describe('useDocMapsValue', () => {
  it('re-reads after changes to its maps only', () => {
    const doc = new Y.Doc();
    const task = createTask(doc, { title: 'Pump' });
    let reads = 0;
    const count = (d: Y.Doc) => {
      reads++;
      return readComments(d).comments.length;
    };
    function Counts() {
      return <output>{useDocMapsValue(doc, [MAP.comments], count)}</output>;
    }
    view = render(<Counts />);
    const out = view.container.querySelector('output')!;
    expect(out.textContent).toBe('0');
    const before = reads;
    act(() => moveTask(doc, task, { status: 'IN_PROGRESS' }));
    act(() => updateTask(doc, task, { title: 'Pump check' }));
    expect(reads).toBe(before);
    act(() => void addComment(doc, { task_id: task, content: 'Parts arrived.', author_id: null }));
    expect(out.textContent).toBe('1');
    expect(reads).toBeGreaterThan(before);
  });
});
