// Board filters as pure functions, so the board, "My tasks" and tests share one definition.
import type { TaskPriority, TaskStatus } from '../../../shared/api.ts';
import { hasActiveFilters, type BoardFilters } from '../ui-store.ts';

export interface FilterableTask {
  title: string;
  description?: string;
  status: TaskStatus;
  priority: TaskPriority;
  assignee_id: string | null;
  due_date: string | null;
  tag_ids: readonly string[];
}

/** Local calendar date as YYYY-MM-DD (due dates are calendar dates, not instants). */
export function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Monday..Sunday of the week containing `today`, as YYYY-MM-DD strings. */
export function weekRange(today: Date): { start: string; end: string } {
  const day = (today.getDay() + 6) % 7; // Monday = 0
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate() - day);
  const end = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 6);
  return { start: localDate(start), end: localDate(end) };
}

export function isOverdue(task: Pick<FilterableTask, 'due_date' | 'status'>, today: Date): boolean {
  if (!task.due_date || task.status === 'DONE' || task.status === 'ARCHIVED') return false;
  return task.due_date < localDate(today);
}

function matchesText(task: FilterableTask, query: string, tagNames: ReadonlyMap<string, string>): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const tags = task.tag_ids.map((id) => tagNames.get(id) ?? '').join(' ');
  const haystack = `${task.title} ${task.description ?? ''} ${tags}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export function taskMatches(
  task: FilterableTask,
  filters: BoardFilters,
  today: Date,
  tagNames: ReadonlyMap<string, string> = new Map(),
): boolean {
  if (filters.assignee === 'unassigned' ? task.assignee_id !== null : filters.assignee !== null && task.assignee_id !== filters.assignee) {
    return false;
  }
  if (filters.priority !== null && task.priority !== filters.priority) return false;
  if (filters.tagId !== null && !task.tag_ids.includes(filters.tagId)) return false;
  if (filters.due === 'overdue' && !isOverdue(task, today)) return false;
  if (filters.due === 'week') {
    const { start, end } = weekRange(today);
    if (!task.due_date || task.due_date < start || task.due_date > end) return false;
  }
  return matchesText(task, filters.text, tagNames);
}

/** The tasks the filters keep; with no filter active, `tasks` itself (no copy: columns keep their identity). */
export function filterTasks<T extends FilterableTask>(
  tasks: readonly T[],
  filters: BoardFilters,
  today: Date,
  tagNames?: ReadonlyMap<string, string>,
): readonly T[] {
  if (!hasActiveFilters(filters)) return tasks;
  return tasks.filter((task) => taskMatches(task, filters, today, tagNames));
}
