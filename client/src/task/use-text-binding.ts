// Binds a <textarea> to a Y.Text: local input becomes a minimal Y.Text edit (so concurrent typing merges),
// remote edits update the textarea while keeping the caret where the user left it.
import { useEffect, type RefObject } from 'react';
import type * as Y from 'yjs';
import { diffText, mapPosition, type TextDelta } from './text-diff.ts';

export function useTextBinding(
  ref: RefObject<HTMLTextAreaElement | null>,
  text: Y.Text | null,
  origin: unknown,
  readOnly: boolean,
) {
  useEffect(() => {
    const area = ref.current;
    if (!area || !text) return;
    const doc = text.doc;
    area.value = text.toString();
    let composing = false;

    const onRemote = (event: Y.YTextEvent, transaction: Y.Transaction) => {
      // Our own keystrokes are already in the textarea; undo/redo (origin: the UndoManager) and peers are not.
      if (transaction.origin === origin) return;
      const next = text.toString();
      if (area.value === next) return;
      const focused = document.activeElement === area;
      const start = area.selectionStart;
      const end = area.selectionEnd;
      const delta = event.delta as TextDelta;
      area.value = next;
      if (focused) area.setSelectionRange(mapPosition(start, delta), mapPosition(end, delta));
    };

    const pushLocal = () => {
      if (readOnly || composing) return;
      const change = diffText(text.toString(), area.value, area.selectionEnd);
      if (!change) return;
      const write = () => {
        if (change.remove) text.delete(change.index, change.remove);
        if (change.insert) text.insert(change.index, change.insert);
      };
      if (doc) doc.transact(write, origin);
      else write();
    };
    const onCompositionStart = () => {
      composing = true;
    };
    const onCompositionEnd = () => {
      composing = false;
      pushLocal();
    };

    text.observe(onRemote);
    area.addEventListener('input', pushLocal);
    area.addEventListener('compositionstart', onCompositionStart);
    area.addEventListener('compositionend', onCompositionEnd);
    return () => {
      text.unobserve(onRemote);
      area.removeEventListener('input', pushLocal);
      area.removeEventListener('compositionstart', onCompositionStart);
      area.removeEventListener('compositionend', onCompositionEnd);
    };
  }, [ref, text, origin, readOnly]);
}
