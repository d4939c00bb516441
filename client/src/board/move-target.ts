// Where a card lands: pure functions from the displayed columns to a moveTask() target, shared by
// drag and drop (mouse, touch, keyboard) and the "Move to..." menu.
import type { TaskStatus } from '../../../shared/api.ts';

export type Columns = Readonly<Record<TaskStatus, readonly { id: string }[]>>;

export interface Placement {
  status: TaskStatus;
  after_id: string | null;
  before_id: string | null;
  /** Index in the target column once the card is there (for announcements). */
  index: number;
}

export const COLUMN_PREFIX = 'column:';
export const columnDropId = (status: TaskStatus) => `${COLUMN_PREFIX}${status}`;

/**
 * A column as it is without the card being moved, read in place: a 1,600-card column is not copied on
 * every drop, drag-over and announcement.
 */
interface ColumnWithout {
  length: number;
  /** Index of the moved card in the column, -1 when it is not in it. */
  skip: number;
  at(k: number): { id: string } | undefined;
}

function without(list: readonly { id: string }[], skipId: string, present: boolean): ColumnWithout {
  const skip = present ? list.findIndex((t) => t.id === skipId) : -1;
  return {
    length: skip < 0 ? list.length : list.length - 1,
    skip,
    at: (k) => (k < 0 ? undefined : list[skip >= 0 && k >= skip ? k + 1 : k]),
  };
}

function placementAt(status: TaskStatus, column: ColumnWithout, index: number): Placement {
  const at = Math.max(0, Math.min(index, column.length));
  return { status, after_id: column.at(at - 1)?.id ?? null, before_id: column.at(at)?.id ?? null, index: at };
}

// Task id -> column, built once per columns object (columns are never mutated: an edit makes a new board).
// A keyboard drag asks on every key press and announcement; scanning 5,000 tasks each time made moves slow.
const statusIndexes = new WeakMap<Columns, Map<string, TaskStatus>>();

export function findStatus(columns: Columns, taskId: string): TaskStatus | null {
  let index = statusIndexes.get(columns);
  if (!index) {
    index = new Map();
    for (const [status, list] of Object.entries(columns) as [TaskStatus, readonly { id: string }[]][]) {
      for (const t of list) if (!index.has(t.id)) index.set(t.id, status);
    }
    statusIndexes.set(columns, index);
  }
  return index.get(taskId) ?? null;
}

/** Top or bottom of a column (the "Move to..." menu). */
export function placeAtEdge(columns: Columns, taskId: string, status: TaskStatus, edge: 'top' | 'bottom'): Placement {
  const column = without(columns[status], taskId, findStatus(columns, taskId) === status);
  return placementAt(status, column, edge === 'top' ? 0 : column.length);
}

/**
 * Dropping `activeId` over `overId` (a card or a column). Over a card in the same column, the card takes
 * the place of the one it is over (after it when moving down, before it when moving up); over a card in
 * another column it goes before that card; over an empty part of a column it goes to the bottom.
 * Returns null when the drop changes nothing.
 */
export function placeOnDrop(columns: Columns, activeId: string, overId: string): Placement | null {
  const from = findStatus(columns, activeId);
  if (!from) return null;
  let placement: Placement;
  if (overId.startsWith(COLUMN_PREFIX)) {
    const status = overId.slice(COLUMN_PREFIX.length) as TaskStatus;
    if (!(status in columns)) return null;
    placement = placeAtEdge(columns, activeId, status, 'bottom');
    if (status === from && columns[from][columns[from].length - 1]?.id === activeId) return null;
    return placement;
  }
  const to = findStatus(columns, overId);
  if (!to) return null;
  if (overId === activeId) return null;
  const column = without(columns[to], activeId, to === from);
  const overAt = columns[to].findIndex((t) => t.id === overId);
  const overIndex = column.skip >= 0 && overAt > column.skip ? overAt - 1 : overAt;
  if (to === from) {
    placement = placementAt(to, column, column.skip < overAt ? overIndex + 1 : overIndex);
  } else {
    placement = placementAt(to, column, overIndex);
  }
  return placement;
}

/** Task titles by id (a Map will do). */
export interface TitleLookup {
  get(id: string): string | undefined;
}

/** A task id -> title lookup over the board, indexed on the first call (most board changes never need it). */
export function lazyTitles(board: Readonly<Record<string, readonly { id: string; title: string }[]>>): TitleLookup {
  let map: Map<string, string> | null = null;
  return {
    get(id: string) {
      if (!map) {
        map = new Map();
        for (const list of Object.values(board)) for (const t of list) map.set(t.id, t.title);
      }
      return map.get(id);
    },
  };
}
