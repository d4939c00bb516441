// Undo/redo of this user's own changes (the session's UndoManager tracks only our origin), with
// Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y, Cmd on macOS) outside text fields, which keep their native undo.
import { useCallback, useEffect, useState } from 'react';
import type * as Y from 'yjs';

export function useUndo(undoManager: Y.UndoManager | null, enabled: boolean) {
  const [state, setState] = useState({ canUndo: false, canRedo: false });

  useEffect(() => {
    if (!undoManager) return;
    const update = () => setState({ canUndo: undoManager.undoStack.length > 0, canRedo: undoManager.redoStack.length > 0 });
    update();
    undoManager.on('stack-item-added', update);
    undoManager.on('stack-item-popped', update);
    undoManager.on('stack-cleared', update);
    return () => {
      undoManager.off('stack-item-added', update);
      undoManager.off('stack-item-popped', update);
      undoManager.off('stack-cleared', update);
    };
  }, [undoManager]);

  const undo = useCallback(() => {
    if (enabled) undoManager?.undo();
  }, [undoManager, enabled]);
  const redo = useCallback(() => {
    if (enabled) undoManager?.redo();
  }, [undoManager, enabled]);

  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      if (isTextField(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        undo();
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault();
        redo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, undo, redo]);

  return { ...state, undo, redo };
}

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'range', 'color'].includes(target.type);
}
