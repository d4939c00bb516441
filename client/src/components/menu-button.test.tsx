import { afterEach, describe, expect, it, vi } from 'vitest';
import { MenuButton } from './menu-button.tsx';
import { click, key, render, type Rendered } from './test-render.tsx';

let view: Rendered | null = null;
afterEach(() => {
  view?.unmount();
  view = null;
});

function setup() {
  const onA = vi.fn();
  const onB = vi.fn();
  view = render(
    <MenuButton
      label="Move to…"
      ariaLabel="Move to… Fix gate"
      items={[
        { key: 'a', label: 'To do: top', onSelect: onA },
        { key: 'b', label: 'Done: bottom', onSelect: onB },
      ]}
    />,
  );
  const button = view.container.querySelector('button[aria-haspopup="menu"]') as HTMLButtonElement;
  return { button, onA, onB, container: view.container };
}

describe('MenuButton', () => {
  it('is a menu button that opens a menu of items and reports its state', () => {
    const { button, container } = setup();
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.getAttribute('aria-label')).toBe('Move to… Fix gate');
    click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const items = [...container.querySelectorAll('[role="menuitem"]')].map((i) => i.textContent);
    expect(items).toEqual(['To do: top', 'Done: bottom']);
  });

  it('moves focus with the arrow keys and wraps around', () => {
    const { button, container } = setup();
    button.focus();
    key(button, 'ArrowDown');
    const items = container.querySelectorAll<HTMLElement>('[role="menuitem"]');
    expect(document.activeElement).toBe(items[0]);
    key(items[0]!, 'ArrowDown');
    expect(document.activeElement).toBe(items[1]);
    key(items[1]!, 'ArrowDown');
    expect(document.activeElement).toBe(items[0]);
    key(items[0]!, 'End');
    expect(document.activeElement).toBe(items[1]);
  });

  it('closes on Escape and gives focus back to the button', () => {
    const { button, container } = setup();
    click(button);
    const item = container.querySelector<HTMLElement>('[role="menuitem"]')!;
    key(item, 'Escape');
    expect(container.querySelector('[role="menu"]')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('runs the chosen item once and closes', () => {
    const { button, container, onA, onB } = setup();
    click(button);
    click(container.querySelectorAll('[role="menuitem"]')[1]!);
    expect(onB).toHaveBeenCalledTimes(1);
    expect(onA).not.toHaveBeenCalled();
    expect(container.querySelector('[role="menu"]')).toBeNull();
  });
});
