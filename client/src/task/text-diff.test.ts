import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyChange, diffText, mapPosition } from './text-diff.ts';

describe('diffText', () => {
  it('returns null when nothing changed', () => {
    expect(diffText('abc', 'abc')).toBeNull();
  });

  it('finds a single insertion in the middle', () => {
    expect(diffText('hello world', 'hello brave world', 12)).toEqual({ index: 6, remove: 0, insert: 'brave ' });
  });

  it('finds a deletion and a replacement', () => {
    expect(diffText('hello world', 'hello')).toEqual({ index: 5, remove: 6, insert: '' });
    expect(diffText('the cat sat', 'the dog sat')).toEqual({ index: 4, remove: 3, insert: 'dog' });
  });

  it('uses the caret to place an ambiguous insertion where it was typed', () => {
    // "aa" -> "aaa" typed at the very start: the caret is at 1.
    expect(diffText('aa', 'aaa', 1)).toEqual({ index: 0, remove: 0, insert: 'a' });
    expect(diffText('aa', 'aaa', 3)).toEqual({ index: 2, remove: 0, insert: 'a' });
    expect(diffText('aa', 'aaa')).toEqual({ index: 0, remove: 0, insert: 'a' });
  });

  it('never splits a surrogate pair', () => {
    const change = diffText('a😀b', 'a😃b');
    expect(change).toEqual({ index: 1, remove: 2, insert: '😃' });
  });

  it('round-trips random edits', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 300; i++) {
      const before = Array.from({ length: Math.floor(rand() * 12) }, () => 'ab '[Math.floor(rand() * 3)]).join('');
      const after = Array.from({ length: Math.floor(rand() * 12) }, () => 'ab '[Math.floor(rand() * 3)]).join('');
      const change = diffText(before, after, Math.floor(rand() * (after.length + 1)));
      expect(change ? applyChange(before, change) : before).toBe(after);
    }
  });

  it('keeps both texts when two people type into the same Y.Text at once', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText('t').insert(0, 'Pump check');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const apply = (doc: Y.Doc, next: string, caret: number) => {
      const text = doc.getText('t');
      const change = diffText(text.toString(), next, caret)!;
      doc.transact(() => {
        if (change.remove) text.delete(change.index, change.remove);
        if (change.insert) text.insert(change.index, change.insert);
      });
    };
    apply(a, 'Pump check: valve 3', 19);
    apply(b, 'Water pump check', 10);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(a.getText('t').toString()).toBe('Water pump check: valve 3');
    expect(b.getText('t').toString()).toBe(a.getText('t').toString());
  });
});

describe('mapPosition', () => {
  it('moves the caret right for text inserted before it, not for text after it', () => {
    expect(mapPosition(5, [{ retain: 2 }, { insert: 'xyz' }])).toBe(8);
    expect(mapPosition(5, [{ retain: 7 }, { insert: 'xyz' }])).toBe(5);
  });

  it('keeps the caret before text inserted exactly at it', () => {
    expect(mapPosition(5, [{ retain: 5 }, { insert: 'xyz' }])).toBe(5);
  });

  it('moves the caret left for deletions before it and clamps deletions across it', () => {
    expect(mapPosition(5, [{ delete: 2 }])).toBe(3);
    expect(mapPosition(5, [{ retain: 3 }, { delete: 4 }])).toBe(3);
    expect(mapPosition(5, [{ retain: 6 }, { delete: 4 }])).toBe(5);
  });

  it('matches a real Y.Text event delta', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'hello world');
    let mapped = -1;
    text.observe((event) => {
      mapped = mapPosition(8, event.delta as { retain?: number; insert?: unknown; delete?: number }[]);
    });
    doc.transact(() => {
      text.delete(0, 5);
      text.insert(0, 'hi');
    });
    expect(text.toString()).toBe('hi world');
    expect(mapped).toBe(5);
  });
});
