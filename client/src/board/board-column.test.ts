import { describe, expect, it } from 'vitest';
import type { Virtualizer } from '@tanstack/react-virtual';
import { measureCard } from './board-column.tsx';

/** The parts of a virtualizer measureCard reads: row index -> task id, and its own size cache. */
function fakeVirtualizer(ids: string[], ownSizes: [string, number][] = []) {
  return {
    options: { getItemKey: (index: number) => ids[index]! },
    indexFromElement: (element: Element) => Number(element.getAttribute('data-index')),
    itemSizeCache: new Map(ownSizes),
  } as unknown as Virtualizer<HTMLDivElement, Element>;
}

function row(index: number, offsetHeight: number): Element {
  const li = document.createElement('li');
  li.setAttribute('data-index', String(index));
  Object.defineProperty(li, 'offsetHeight', { get: () => offsetHeight });
  return li;
}

const entry = (blockSize: number) => ({ borderBoxSize: [{ blockSize, inlineSize: 300 }] }) as unknown as ResizeObserverEntry;

describe('measureCard', () => {
  it('takes a ResizeObserver entry first and remembers it for every column', () => {
    const heights = new Map<string, number>([['a', 90]]);
    expect(measureCard(heights, row(0, 50), entry(120.4), fakeVirtualizer(['a'], [['a', 80]]))).toBe(120);
    expect(heights.get('a')).toBe(120);
  });

  it('without an entry: the column own size, then another column measurement, without reading the DOM', () => {
    const heights = new Map<string, number>([['a', 90], ['b', 110]]);
    expect(measureCard(heights, row(0, 50), undefined, fakeVirtualizer(['a', 'b'], [['a', 80]]))).toBe(80);
    // A card moved here from another column: placed with the height measured there.
    expect(measureCard(heights, row(1, 50), undefined, fakeVirtualizer(['a', 'b'], [['a', 80]]))).toBe(110);
  });

  it('reads the DOM for a card no column has measured, and remembers it', () => {
    const heights = new Map<string, number>();
    expect(measureCard(heights, row(0, 96), undefined, fakeVirtualizer(['c']))).toBe(96);
    expect(heights.get('c')).toBe(96);
  });
});
