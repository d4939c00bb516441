import { useEffect, useId, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { getDescription } from '../../../shared/doc-model.ts';
import { useTextBinding } from './use-text-binding.ts';

/** The description, bound live to the task's Y.Text: two people typing at once both keep their text. */
export function DescriptionEditor({ doc, taskId, origin, readOnly }: { doc: Y.Doc; taskId: string; origin: unknown; readOnly: boolean }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const text = useDescriptionText(doc, taskId);
  useTextBinding(ref, text ?? null, origin, readOnly);
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Description</label>
      <textarea id={id} ref={ref} readOnly={readOnly || !text} rows={6} placeholder={readOnly ? '' : 'Add details, steps, locations…'} />
    </div>
  );
}

/**
 * The task's Y.Text, re-read after each update because a remote write can replace the instance (for
 * example when the task is recreated). Compared by identity: a Y.Text is not a plain value.
 */
function useDescriptionText(doc: Y.Doc, taskId: string): Y.Text | null {
  const [text, setText] = useState<Y.Text | null>(() => getDescription(doc, taskId));
  useEffect(() => {
    const update = () => setText((current) => {
      const next = getDescription(doc, taskId);
      return next === current ? current : next;
    });
    update();
    doc.on('update', update);
    return () => doc.off('update', update);
  }, [doc, taskId]);
  return text;
}
