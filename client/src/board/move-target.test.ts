import { describe, expect, it } from 'vitest';
import { columnDropId, findStatus, lazyTitles, placeAtEdge, placeOnDrop, type Columns } from './move-target.ts';

const ids = (...list: string[]) => list.map((id) => ({ id }));
const columns: Columns = {
  TODO: ids('a', 'b', 'c'),
  IN_PROGRESS: ids('d', 'e'),
  IN_REVIEW: [],
  DONE: ids('f'),
  ARCHIVED: [],
};

describe('placeOnDrop', () => {
  it('moving down within a column lands after the card it is over', () => {
    expect(placeOnDrop(columns, 'a', 'b')).toEqual({ status: 'TODO', after_id: 'b', before_id: 'c', index: 1 });
    expect(placeOnDrop(columns, 'a', 'c')).toEqual({ status: 'TODO', after_id: 'c', before_id: null, index: 2 });
  });

  it('moving up within a column lands before the card it is over', () => {
    expect(placeOnDrop(columns, 'c', 'a')).toEqual({ status: 'TODO', after_id: null, before_id: 'a', index: 0 });
  });

  it('into another column lands before the card it is over', () => {
    expect(placeOnDrop(columns, 'b', 'e')).toEqual({ status: 'IN_PROGRESS', after_id: 'd', before_id: 'e', index: 1 });
  });

  it('over a column lands at its bottom, also when the column is empty', () => {
    expect(placeOnDrop(columns, 'b', columnDropId('IN_REVIEW'))).toEqual({ status: 'IN_REVIEW', after_id: null, before_id: null, index: 0 });
    expect(placeOnDrop(columns, 'a', columnDropId('DONE'))).toEqual({ status: 'DONE', after_id: 'f', before_id: null, index: 1 });
  });

  it('returns null for drops that change nothing or name unknown ids', () => {
    expect(placeOnDrop(columns, 'a', 'a')).toBeNull();
    expect(placeOnDrop(columns, 'c', columnDropId('TODO'))).toBeNull();
    expect(placeOnDrop(columns, 'zz', 'a')).toBeNull();
    expect(placeOnDrop(columns, 'a', 'zz')).toBeNull();
  });
});

describe('placeAtEdge', () => {
  it('puts a card at the top or bottom of any column, ignoring itself', () => {
    expect(placeAtEdge(columns, 'b', 'TODO', 'top')).toEqual({ status: 'TODO', after_id: null, before_id: 'a', index: 0 });
    expect(placeAtEdge(columns, 'b', 'TODO', 'bottom')).toEqual({ status: 'TODO', after_id: 'c', before_id: null, index: 2 });
    expect(placeAtEdge(columns, 'a', 'DONE', 'top')).toEqual({ status: 'DONE', after_id: null, before_id: 'f', index: 0 });
  });
});

describe('findStatus', () => {
  it('finds the column of a task, null for unknown ids, and answers from a fresh index for a new columns object', () => {
    expect(findStatus(columns, 'e')).toBe('IN_PROGRESS');
    expect(findStatus(columns, 'f')).toBe('DONE');
    expect(findStatus(columns, 'zz')).toBeNull();
    // Boards are immutable: a move yields a new columns object, which gets its own index.
    const moved: Columns = { ...columns, IN_PROGRESS: ids('d'), DONE: ids('e', 'f') };
    expect(findStatus(moved, 'e')).toBe('DONE');
    expect(findStatus(columns, 'e')).toBe('IN_PROGRESS');
  });
});

describe('lazyTitles', () => {
  it('looks titles up across all columns', () => {
    const titles = lazyTitles({ TODO: [{ id: 'a', title: 'Fence' }], DONE: [{ id: 'b', title: 'Pump' }] });
    expect(titles.get('b')).toBe('Pump');
    expect(titles.get('a')).toBe('Fence');
    expect(titles.get('zz')).toBeUndefined();
  });
});

describe('placement without copying columns', () => {
  // The straightforward version (copies each column without the moved card), as the reference.
  function reference(cols: Columns, activeId: string, overId: string) {
    const statusOf = (id: string) => (Object.keys(cols) as (keyof Columns)[]).find((s) => cols[s].some((t) => t.id === id)) ?? null;
    const at = (status: keyof Columns, list: { id: string }[], index: number) => {
      const i = Math.max(0, Math.min(index, list.length));
      return { status, after_id: list[i - 1]?.id ?? null, before_id: list[i]?.id ?? null, index: i };
    };
    const from = statusOf(activeId);
    if (!from) return null;
    if (overId.startsWith('column:')) {
      const status = overId.slice(7) as keyof Columns;
      const list = cols[status].filter((t) => t.id !== activeId);
      if (status === from && cols[from][cols[from].length - 1]?.id === activeId) return null;
      return at(status, list, list.length);
    }
    const to = statusOf(overId);
    if (!to || overId === activeId) return null;
    const list = cols[to].filter((t) => t.id !== activeId);
    const overIndex = list.findIndex((t) => t.id === overId);
    if (to !== from) return at(to, list, overIndex);
    const a = cols[from].findIndex((t) => t.id === activeId);
    const o = cols[from].findIndex((t) => t.id === overId);
    return at(to, list, a < o ? overIndex + 1 : overIndex);
  }

  it('matches the copying version for every pair of cards and columns', () => {
    const board: Columns = { TODO: ids('a', 'b', 'c', 'd'), IN_PROGRESS: ids('e', 'f', 'g'), IN_REVIEW: ids('h'), DONE: [], ARCHIVED: ids('i', 'j') };
    const all = Object.values(board).flat().map((t) => t.id);
    const targets = [...all, ...Object.keys(board).map((s) => columnDropId(s as keyof Columns))];
    for (const active of all) for (const over of targets) expect(placeOnDrop(board, active, over)).toEqual(reference(board, active, over));
    for (const active of all) {
      for (const status of Object.keys(board) as (keyof Columns)[]) {
        const list = board[status].filter((t) => t.id !== active);
        expect(placeAtEdge(board, active, status, 'top')).toEqual({ status, after_id: null, before_id: list[0]?.id ?? null, index: 0 });
        expect(placeAtEdge(board, active, status, 'bottom')).toEqual({ status, after_id: list[list.length - 1]?.id ?? null, before_id: null, index: list.length });
      }
    }
  });
});
