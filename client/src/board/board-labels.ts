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

export function formatDue(date: string, now: Date = new Date()): string {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  const local = new Date(y, m - 1, d);
  formatters ??= {
    sameYear: new Intl.DateTimeFormat([], { month: 'short', day: 'numeric' }),
    otherYear: new Intl.DateTimeFormat([], { month: 'short', day: 'numeric', year: 'numeric' }),
  };
  return (local.getFullYear() === now.getFullYear() ? formatters.sameYear : formatters.otherYear).format(local);
}
