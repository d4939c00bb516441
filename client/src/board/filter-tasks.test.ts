import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS } from '../ui-store.ts';
import { filterTasks, isOverdue, weekRange, type FilterableTask } from './filter-tasks.ts';

const today = new Date(2026, 10, 25); // Wednesday 25 Nov 2026
const base: FilterableTask = { title: 'x', status: 'TODO', priority: 'MEDIUM', assignee_id: null, due_date: null, tag_ids: [] };
const tasks: (FilterableTask & { id: string })[] = [
  { ...base, id: 'a', title: 'Replace pump valve', assignee_id: 'u1', priority: 'HIGH', due_date: '2026-11-20', tag_ids: ['t1'] },
  { ...base, id: 'b', title: 'Inspect fence', assignee_id: 'u2', due_date: '2026-11-29' },
  { ...base, id: 'c', title: 'Order parts', description: 'valve seals', due_date: '2026-12-01' },
  { ...base, id: 'd', title: 'Old overdue but done', status: 'DONE', due_date: '2026-11-01' },
];
const ids = (list: readonly { id: string }[]) => list.map((t) => t.id);

describe('filterTasks', () => {
  it('keeps everything with no filters', () => {
    expect(ids(filterTasks(tasks, EMPTY_FILTERS, today))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('returns the same array when no filter is active (a column of 5,000 tasks is not copied per edit)', () => {
    expect(filterTasks(tasks, EMPTY_FILTERS, today)).toBe(tasks);
    expect(filterTasks(tasks, { ...EMPTY_FILTERS, text: '   ' }, today)).toBe(tasks);
    expect(filterTasks(tasks, { ...EMPTY_FILTERS, text: 'fence' }, today)).not.toBe(tasks);
  });

  it('filters by assignee, including unassigned', () => {
    expect(ids(filterTasks(tasks, { ...EMPTY_FILTERS, assignee: 'u2' }, today))).toEqual(['b']);
    expect(ids(filterTasks(tasks, { ...EMPTY_FILTERS, assignee: 'unassigned' }, today))).toEqual(['c', 'd']);
  });

  it('filters by priority and tag', () => {
    expect(ids(filterTasks(tasks, { ...EMPTY_FILTERS, priority: 'HIGH' }, today))).toEqual(['a']);
    expect(ids(filterTasks(tasks, { ...EMPTY_FILTERS, tagId: 't1' }, today))).toEqual(['a']);
  });

  it('treats done tasks as never overdue', () => {
    expect(ids(filterTasks(tasks, { ...EMPTY_FILTERS, due: 'overdue' }, today))).toEqual(['a']);
    expect(isOverdue({ due_date: '2026-11-25', status: 'TODO' }, today)).toBe(false);
  });

  it('"this week" is Monday to Sunday of the current week', () => {
    expect(weekRange(today)).toEqual({ start: '2026-11-23', end: '2026-11-29' });
    expect(ids(filterTasks(tasks, { ...EMPTY_FILTERS, due: 'week' }, today))).toEqual(['b']);
  });

  it('matches every word of the search in title, description or tag names', () => {
    expect(ids(filterTasks(tasks, { ...EMPTY_FILTERS, text: 'VALVE' }, today))).toEqual(['a', 'c']);
    expect(ids(filterTasks(tasks, { ...EMPTY_FILTERS, text: 'valve pump' }, today))).toEqual(['a']);
    const tagNames = new Map([['t1', 'plumbing']]);
    expect(ids(filterTasks(tasks, { ...EMPTY_FILTERS, text: 'plumb' }, today, tagNames))).toEqual(['a']);
  });
});
