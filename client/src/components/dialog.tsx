// A modal dialog on the native <dialog> element: showModal() makes the rest of the page inert (focus stays
// inside), Escape fires "cancel", and focus returns to the opener when it closes.
import { useEffect, useId, useRef, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** 'panel' slides over the board and is full screen on phones. */
  variant?: 'center' | 'panel';
  className?: string;
  /** Hide the visible heading (the title still labels the dialog). */
  hideTitle?: boolean;
}

export function Dialog({ title, onClose, children, variant = 'center', className, hideTitle }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    const onCancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open && typeof dialog.close === 'function') dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${variant}${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      onKeyDown={(event) => {
        // Browsers without a "cancel" event on Escape (and happy-dom in tests) still close.
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault();
          onCloseRef.current();
        }
      }}
    >
      <header className="dialog-header">
        <h2 id={titleId} className={hideTitle ? 'visually-hidden' : undefined}>
          {title}
        </h2>
        <button type="button" className="icon-button" onClick={() => onCloseRef.current()} aria-label="Close">
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
