import { afterEach, describe, expect, it } from 'vitest';
import { act, useRef } from 'react';
import * as Y from 'yjs';
import { render, type Rendered } from '../components/test-render.tsx';
import { useTextBinding } from './use-text-binding.ts';

let view: Rendered | null = null;
afterEach(() => {
  view?.unmount();
  view = null;
});

function Bound({ text, origin }: { text: Y.Text; origin: unknown }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  useTextBinding(ref, text, origin, false);
  return <textarea ref={ref} aria-label="Description" />;
}

function typeInto(area: HTMLTextAreaElement, value: string, caret: number) {
  act(() => {
    area.value = value;
    area.setSelectionRange(caret, caret);
    area.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('useTextBinding', () => {
  it('writes local typing to the Y.Text as a minimal edit with our origin', () => {
    const doc = new Y.Doc();
    const text = doc.getText('d');
    text.insert(0, 'Pump check');
    const origin = { me: true };
    view = render(<Bound text={text} origin={origin} />);
    const area = view.container.querySelector('textarea')!;
    expect(area.value).toBe('Pump check');
    const origins: unknown[] = [];
    const deltas: unknown[] = [];
    text.observe((event, tr) => {
      origins.push(tr.origin);
      deltas.push(event.delta);
    });
    typeInto(area, 'Pump check!', 11);
    expect(text.toString()).toBe('Pump check!');
    expect(origins).toEqual([origin]);
    expect(deltas).toEqual([[{ retain: 10 }, { insert: '!' }]]);
  });

  it('shows remote edits and keeps the caret on the same text', () => {
    const doc = new Y.Doc();
    const text = doc.getText('d');
    text.insert(0, 'hello world');
    view = render(<Bound text={text} origin={{}} />);
    const area = view.container.querySelector('textarea')!;
    area.focus();
    area.setSelectionRange(6, 6); // before "world"
    act(() => {
      doc.transact(() => text.insert(0, '>> '), 'remote');
    });
    expect(area.value).toBe('>> hello world');
    expect(area.selectionStart).toBe(9);
    expect(area.value.slice(area.selectionStart)).toBe('world');
  });

  it('merges two people typing into the same description at once', () => {
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    docA.getText('d').insert(0, 'Pump check.');
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA));
    view = render(
      <>
        <Bound text={docA.getText('d')} origin="a" />
        <Bound text={docB.getText('d')} origin="b" />
      </>,
    );
    const [areaA, areaB] = [...view.container.querySelectorAll('textarea')];
    typeInto(areaA!, 'Pump check. Valve leaks.', 24);
    typeInto(areaB!, 'Urgent: Pump check.', 8);
    act(() => {
      Y.applyUpdate(docA, Y.encodeStateAsUpdate(docB), 'remote');
      Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA), 'remote');
    });
    expect(areaA!.value).toBe('Urgent: Pump check. Valve leaks.');
    expect(areaB!.value).toBe('Urgent: Pump check. Valve leaks.');
  });
});
