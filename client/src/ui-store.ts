// UI state only (filters, toggles). Board data lives in each project's Y.Doc, never here.
import { create } from 'zustand';
import type { TaskPriority } from '../../shared/api.ts';

export type DueFilter = 'any' | 'overdue' | 'week';

export interface BoardFilters {
  /** A member id, 'unassigned', or null for everyone. */
  assignee: string | null;
  priority: TaskPriority | null;
  tagId: string | null;
  due: DueFilter;
  text: string;
}

export const EMPTY_FILTERS: BoardFilters = { assignee: null, priority: null, tagId: null, due: 'any', text: '' };

interface UiState {
  filters: Record<string, BoardFilters>;
  showArchived: boolean;
  setFilters: (projectId: string, patch: Partial<BoardFilters>) => void;
  clearFilters: (projectId: string) => void;
  setShowArchived: (show: boolean) => void;
}

export const useUiStore = create<UiState>((set) => ({
  filters: {},
  showArchived: false,
  setFilters: (projectId, patch) =>
    set((state) => ({
      filters: { ...state.filters, [projectId]: { ...(state.filters[projectId] ?? EMPTY_FILTERS), ...patch } },
    })),
  clearFilters: (projectId) =>
    set((state) => ({ filters: { ...state.filters, [projectId]: EMPTY_FILTERS } })),
  setShowArchived: (showArchived) => set({ showArchived }),
}));

export function useBoardFilters(projectId: string): BoardFilters {
  return useUiStore((state) => state.filters[projectId] ?? EMPTY_FILTERS);
}

export function hasActiveFilters(filters: BoardFilters): boolean {
  return (
    filters.assignee !== null ||
    filters.priority !== null ||
    filters.tagId !== null ||
    filters.due !== 'any' ||
    filters.text.trim() !== ''
  );
}
