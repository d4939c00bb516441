import type { TaskPriority, TaskStatus } from '../../../shared/api.ts';

export const COLUMN_NAMES: Record<TaskStatus, string> = {
  TODO: 'To do',
  IN_PROGRESS: 'In progress',
  IN_REVIEW: 'In review',
  DONE: 'Done',
  ARCHIVED: 'Archived',
};

export const PRIORITY_NAMES: Record<TaskPriority, string> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  URGENT: 'Urgent',
};

export const BOARD_COLUMNS: readonly TaskStatus[] = ['TODO', 'IN_PROGRESS', 'IN_REVIEW', 'DONE'];

// One formatter per shape, made once: toLocaleDateString(options) builds a new Intl.DateTimeFormat on every
// call (about a millisecond each), and every rendered card formats its due date on every render.
let formatters: { sameYear: Intl.DateTimeFormat; otherYear: Intl.DateTimeFormat } | null = null;

/**
 * Makes the formatters now. The first Intl.DateTimeFormat of a page loads the locale's data: 50-200 ms here,
 * which a board's first render paid inside its first due date. The board calls this while it waits for its
 * stored data (IndexedDB), so that cost falls in time the page spends waiting anyway.
 */
export function dueFormatters(): NonNullable<typeof formatters> {
  formatters ??= {
    sameYear: new Intl.DateTimeFormat([], { month: 'short', day: 'numeric' }),
    otherYear: new Intl.DateTimeFormat([], { month: 'short', day: 'numeric', year: 'numeric' }),
  };
  return formatters;
}

export function formatDue(date: string, now: Date = new Date()): string {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  const local = new Date(y, m - 1, d);
  const { sameYear, otherYear } = dueFormatters();
  return (local.getFullYear() === now.getFullYear() ? sameYear : otherYear).format(local);
}
