import { useState } from 'react';
import { TASK_PRIORITIES, type TaskPriority } from '../../../shared/api.ts';
import type { Tag } from '../../../shared/doc-model.ts';
import { hasActiveFilters, useBoardFilters, useUiStore, type DueFilter } from '../ui-store.ts';
import { PRIORITY_NAMES } from './board-labels.ts';

interface BoardFiltersProps {
  projectId: string;
  members: { id: string; name: string }[];
  tags: Tag[];
  selfId: string | null;
}

export function BoardFilterBar({ projectId, members, tags, selfId }: BoardFiltersProps) {
  const filters = useBoardFilters(projectId);
  const setFilters = useUiStore((s) => s.setFilters);
  const clearFilters = useUiStore((s) => s.clearFilters);
  const showArchived = useUiStore((s) => s.showArchived);
  const setShowArchived = useUiStore((s) => s.setShowArchived);
  const set = (patch: Parameters<typeof setFilters>[1]) => setFilters(projectId, patch);
  const id = (name: string) => `filter-${name}-${projectId}`;
  // On phones the selects fold away behind a "Filters" button so the board keeps the screen.
  const [open, setOpen] = useState(false);
  const active = [filters.assignee, filters.priority, filters.tagId, filters.due !== 'any' ? filters.due : null].filter(Boolean).length;

  return (
    <div className="board-filters" role="search" aria-label="Filter tasks">
      <label className="visually-hidden" htmlFor={id('text')}>
        Search tasks
      </label>
      <input id={id('text')} type="search" placeholder="Search tasks" value={filters.text} onChange={(e) => set({ text: e.target.value })} />
      <button type="button" className="phone-only" aria-expanded={open} aria-controls={id('more')} onClick={() => setOpen((v) => !v)}>
        Filters{active > 0 ? ` (${active})` : ''}
      </button>
      <div className="filter-controls" id={id('more')} data-open={open || undefined}>
      <label className="visually-hidden" htmlFor={id('assignee')}>
        Assignee
      </label>
      <select id={id('assignee')} value={filters.assignee ?? ''} onChange={(e) => set({ assignee: e.target.value || null })}>
        <option value="">Anyone</option>
        {selfId && <option value={selfId}>Assigned to me</option>}
        <option value="unassigned">Unassigned</option>
        {members
          .filter((m) => m.id !== selfId)
          .map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
      </select>
      <label className="visually-hidden" htmlFor={id('priority')}>
        Priority
      </label>
      <select id={id('priority')} value={filters.priority ?? ''} onChange={(e) => set({ priority: (e.target.value || null) as TaskPriority | null })}>
        <option value="">Any priority</option>
        {TASK_PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {PRIORITY_NAMES[p]}
          </option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor={id('tag')}>
        Tag
      </label>
      <select id={id('tag')} value={filters.tagId ?? ''} onChange={(e) => set({ tagId: e.target.value || null })}>
        <option value="">Any tag</option>
        {tags.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor={id('due')}>
        Due date
      </label>
      <select id={id('due')} value={filters.due} onChange={(e) => set({ due: e.target.value as DueFilter })}>
        <option value="any">Any due date</option>
        <option value="overdue">Overdue</option>
        <option value="week">Due this week</option>
      </select>
      <label className="toggle">
        <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
        Show archived
      </label>
      {hasActiveFilters(filters) && (
        <button type="button" onClick={() => clearFilters(projectId)}>
          Clear filters
        </button>
      )}
      </div>
    </div>
  );
}
