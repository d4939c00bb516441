import { act, type ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, type Rendered } from './test-render.tsx';

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
  vi.useRealTimers();
  vi.resetModules();
});

/** Fresh copies of lazy.tsx and preload.ts (their registry is per page load). */
async function load() {
  vi.resetModules();
  const lazy = await import('./lazy.tsx');
  const preload = await import('../preload.ts');
  return { ...lazy, ...preload };
}

async function settle() {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}

describe('lazyComponent', () => {
  it('renders the component once its chunk has loaded, with its props', async () => {
    const { lazyComponent } = await load();
    const Hello = lazyComponent(async () => ({ name }: { name: string }) => <p>Hello {name}</p>);
    rendered = render(<Hello name="Rita" />);
    await settle();
    expect(rendered.container.textContent).toBe('Hello Rita');
  });

  it('shows a way out, not a crash, when the chunk does not load', async () => {
    const { lazyComponent } = await load();
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const Broken = lazyComponent<object>(() => Promise.reject(new TypeError('Failed to fetch dynamically imported module')));
    rendered = render(<Broken />);
    await settle();
    spy.mockRestore();
    expect(rendered.container.querySelector('[role="alert"]')?.textContent).toContain('could not be loaded');
    expect(rendered.container.querySelector('button')?.textContent).toBe('Reload');
  });

  it('passes an error of the loaded component on to the boundary above instead of calling it a failed load', async () => {
    const { lazyComponent } = await load();
    const { Component } = await import('react');
    class Outer extends Component<{ children: ReactNode }, { caught: string | null }> {
      override state = { caught: null as string | null };
      static getDerivedStateFromError(error: Error) {
        return { caught: error.message };
      }
      override render() {
        return this.state.caught ? <p>outer caught: {this.state.caught}</p> : this.props.children;
      }
    }
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const Buggy = lazyComponent<object>(async () => () => {
      throw new Error('bug in the dialog');
    });
    rendered = render(
      <Outer>
        <Buggy />
      </Outer>,
    );
    await settle();
    spy.mockRestore();
    expect(rendered.container.textContent).toBe('outer caught: bug in the dialog');
    expect(rendered.container.querySelector('[role="alert"]')).toBeNull();
  });

  it('preloads every registered chunk once, a second after start-up, and a failed preload is retried by the first render', async () => {
    vi.useFakeTimers();
    const { lazyComponent, preloadLater, registerPreload } = await load();
    let attempts = 0;
    const loader = vi.fn(async () => {
      attempts++;
      if (attempts === 1) throw new TypeError('offline');
      return () => <p>Dialog</p>;
    });
    const Dialog = lazyComponent<object>(loader);
    const other = vi.fn(async () => 'schemas');
    registerPreload(other);
    preloadLater();
    preloadLater(); // scheduled once
    await vi.advanceTimersByTimeAsync(999);
    expect(loader).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(10);
    await vi.runAllTimersAsync();
    expect(loader).toHaveBeenCalledTimes(1);
    expect(other).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
    rendered = render(<Dialog />);
    await settle();
    expect(loader).toHaveBeenCalledTimes(2);
    expect(rendered.container.textContent).toBe('Dialog');
  });
});
