import { afterEach, describe, expect, it, vi } from 'vitest';
import { deferPastPaint, flushDeferred, hasDeferredWork } from './past-paint.ts';

afterEach(() => {
  flushDeferred();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('deferPastPaint', () => {
  it('runs deferred work in order in a task after the next frame', () => {
    vi.useFakeTimers();
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    vi.stubGlobal('cancelAnimationFrame', () => {});
    const ran: string[] = [];
    deferPastPaint(() => ran.push('store'));
    deferPastPaint(() => ran.push('send'));
    expect(hasDeferredWork()).toBe(true);
    expect(frames).toHaveLength(1);
    frames.shift()!(0);
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(ran).toEqual(['store', 'send']);
    expect(hasDeferredWork()).toBe(false);
  });

  it('runs everything at once when the page is hidden or left, and at once while it is hidden', () => {
    vi.stubGlobal('requestAnimationFrame', () => 1);
    vi.stubGlobal('cancelAnimationFrame', () => {});
    const ran: string[] = [];
    deferPastPaint(() => ran.push('a'));
    window.dispatchEvent(new Event('pagehide'));
    expect(ran).toEqual(['a']);

    deferPastPaint(() => ran.push('b'));
    let visibility: DocumentVisibilityState = 'hidden';
    const spy = vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(ran).toEqual(['a', 'b']);
    deferPastPaint(() => ran.push('c'));
    expect(ran).toEqual(['a', 'b', 'c']);
    visibility = 'visible';
    deferPastPaint(() => ran.push('d'));
    expect(ran).toEqual(['a', 'b', 'c']);
    spy.mockRestore();
  });
});
