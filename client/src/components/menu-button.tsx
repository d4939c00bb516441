// A menu button (WAI-ARIA menu pattern): Enter/Space/ArrowDown open it on the first item, arrows move,
// Home/End jump, Escape closes and returns focus to the button, choosing an item closes it.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuItem {
  key: string;
  label: string;
  onSelect: () => void;
  disabled?: boolean;
}

interface MenuButtonProps {
  label: ReactNode;
  /** Accessible name of the button when `label` is an icon or too short. */
  ariaLabel?: string;
  items: MenuItem[];
  className?: string;
  menuLabel?: string;
}

export function MenuButton({ label, ariaLabel, items, className, menuLabel }: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const focusIndex = useRef(0);

  const focusItem = (index: number) => {
    const nodes = menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not([aria-disabled="true"])');
    if (!nodes || nodes.length === 0) return;
    const wrapped = (index + nodes.length) % nodes.length;
    focusIndex.current = wrapped;
    nodes[wrapped]!.focus();
  };

  useEffect(() => {
    if (!open) return;
    focusItem(focusIndex.current);
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      event.stopPropagation();
      focusIndex.current = event.key === 'ArrowUp' ? -1 : 0;
      setOpen(true);
    }
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const count = menuRef.current?.querySelectorAll('[role="menuitem"]:not([aria-disabled="true"])').length ?? 0;
    const handled = ['ArrowDown', 'ArrowUp', 'Home', 'End', 'Escape', 'Tab'];
    if (!handled.includes(event.key)) return;
    event.stopPropagation();
    if (event.key === 'Tab') {
      setOpen(false);
      return;
    }
    event.preventDefault();
    if (event.key === 'ArrowDown') focusItem(focusIndex.current + 1);
    else if (event.key === 'ArrowUp') focusItem(focusIndex.current - 1);
    else if (event.key === 'Home') focusItem(0);
    else if (event.key === 'End') focusItem(count - 1);
    else close(true);
  };

  return (
    <div className={`menu-wrap${className ? ` ${className}` : ''}`}>
      <button
        ref={buttonRef}
        type="button"
        className="menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={ariaLabel}
        onClick={() => {
          focusIndex.current = 0;
          setOpen((value) => !value);
        }}
        onKeyDown={onButtonKey}
      >
        {label}
      </button>
      {open && (
        <div ref={menuRef} id={menuId} role="menu" aria-label={menuLabel ?? ariaLabel} className="menu" onKeyDown={onMenuKey}>
          {items.map((item) => (
            <button
              key={item.key}
              type="button"
              role="menuitem"
              tabIndex={-1}
              aria-disabled={item.disabled || undefined}
              className="menu-item"
              onClick={() => {
                if (item.disabled) return;
                close(true);
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
