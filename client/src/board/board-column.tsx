// One column: a droppable area with a virtualized list of sortable cards (only the visible ones are in
// the DOM, so a column of thousands of tasks scrolls smoothly) and a quick-add form.
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import { useDroppable } from '@dnd-kit/core';
import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TaskStatus } from '../../../shared/api.ts';
import type { Task } from '../../../shared/doc-model.ts';
import { COLUMN_NAMES } from './board-labels.ts';
import { columnDropId } from './move-target.ts';
import { QuickAdd } from './quick-add.tsx';
import { TaskCard, type CardContext } from './task-card.tsx';
import type { TaskCounts } from './use-board-data.ts';

interface BoardColumnProps {
  status: TaskStatus;
  tasks: readonly Task[];
  total: number;
  /** `tasks` is only the top of a column of `total` (the board preview while the document loads). */
  partial?: boolean;
  counts: Record<string, TaskCounts>;
  viewers: ReadonlyMap<string, string[]>;
  changed: ReadonlySet<string>;
  ctx: CardContext;
  /** Scroll this task into view and focus a control in it (after a keyboard or menu move). */
  focus: { taskId: string; selector: string } | null;
  onFocused: () => void;
  onQuickAdd: (status: TaskStatus, title: string) => void;
}

const ESTIMATED_CARD = 104;
const estimateSize = () => ESTIMATED_CARD;

// Memoised: a column whose tasks array (and other props) kept identity skips rendering on an edit elsewhere.
export const BoardColumn = memo(function BoardColumn(props: BoardColumnProps) {
  const { status, tasks, total, ctx, focus, partial } = props;
  const shown = partial ? total : tasks.length;
  const focusTaskId = focus?.taskId ?? null;
  const focusSelector = focus?.selector ?? '.card-title';
  const scrollRef = useRef<HTMLDivElement>(null);
  const { setNodeRef, isOver } = useDroppable({ id: columnDropId(status), disabled: ctx.readOnly });
  // A stable key function: the virtualizer recomputes every item's measurement (the whole column) whenever
  // it changes, so it must change only with the tasks.
  const getItemKey = useCallback((index: number) => tasks[index]!.id, [tasks]);
  const virtualizer = useVirtualizer({
    count: tasks.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    // Rendered cards beyond the visible ones: each is a sortable that re-renders on every drag state change.
    overscan: 2,
    getItemKey,
  });
  const headingId = `column-${status}`;
  // Stable between scroll renders: SortableContext re-derives its item indexes whenever this array changes.
  const ids = useMemo(() => tasks.map((t) => t.id), [tasks]);

  const focusIndex = focusTaskId ? tasks.findIndex((t) => t.id === focusTaskId) : -1;
  const { onFocused } = props;
  useEffect(() => {
    if (focusIndex < 0 || !focusTaskId) return;
    // Scroll only when the card is outside the visible rows (a keyboard drop lands where the card was shown).
    const range = virtualizer.range;
    if (!range || focusIndex < range.startIndex || focusIndex > range.endIndex) virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
    const frame = requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        const card = scrollRef.current?.querySelector<HTMLElement>(`[data-task-id="${focusTaskId}"]`);
        (card?.querySelector<HTMLElement>(focusSelector) ?? card?.querySelector<HTMLElement>('.card-title'))?.focus();
        onFocused();
      }),
    );
    return () => cancelAnimationFrame(frame);
  }, [focusIndex, focusTaskId, focusSelector, virtualizer, onFocused]);

  return (
    <section className="column" aria-labelledby={headingId} data-over={isOver || undefined} data-status={status}>
      <div className="column-header">
        <h2 id={headingId}>{COLUMN_NAMES[status]}</h2>
        <span className="column-count" aria-label={shown === total ? `${total} tasks` : `${shown} of ${total} tasks shown`}>
          {shown === total ? total : `${shown}/${total}`}
        </span>
      </div>
      <div className="column-scroll" ref={scrollRef}>
        <div ref={setNodeRef} style={{ minHeight: '100%' }}>
          <SortableContext id={status} items={ids} strategy={verticalListSortingStrategy} disabled={ctx.readOnly}>
            {tasks.length === 0 ? (
              <p className="column-empty">{total === 0 ? 'No tasks' : 'No tasks match the filters'}</p>
            ) : (
              <ul className="column-list" aria-labelledby={headingId} style={{ height: virtualizer.getTotalSize() }}>
                {virtualizer.getVirtualItems().map((item) => {
                  const task = tasks[item.index]!;
                  return (
                    <li
                      key={item.key}
                      className="virtual-row"
                      data-index={item.index}
                      ref={virtualizer.measureElement}
                      style={{ top: item.start }}
                      aria-setsize={shown}
                      aria-posinset={item.index + 1}
                    >
                      <SortableCard
                        task={task}
                        counts={props.counts[task.id]}
                        viewers={props.viewers.get(task.id)}
                        changed={props.changed.has(task.id)}
                        ctx={ctx}
                      />
                    </li>
                  );
                })}
              </ul>
            )}
          </SortableContext>
        </div>
      </div>
      {!ctx.readOnly && status !== 'ARCHIVED' && <QuickAdd status={status} onAdd={props.onQuickAdd} onAdded={() => virtualizer.scrollToIndex(tasks.length, { align: 'end' })} />}
    </section>
  );
});

// Memoised on the task object (the board cache keeps it while the task is unchanged): TaskCard's own memo
// cannot help, since the drag bindings below are a new object on every render.
const SortableCard = memo(function SortableCard(props: { task: Task; counts: TaskCounts | undefined; viewers: string[] | undefined; changed: boolean; ctx: CardContext }) {
  const sortable = useSortable({ id: props.task.id, disabled: props.ctx.readOnly, data: { status: props.task.status } });
  return (
    <TaskCard
      {...props}
      drag={{
        setNodeRef: sortable.setNodeRef,
        setActivatorNodeRef: sortable.setActivatorNodeRef,
        attributes: sortable.attributes,
        listeners: sortable.listeners,
        isDragging: sortable.isDragging,
        style: { transform: CSS.Translate.toString(sortable.transform), transition: sortable.transition },
      }}
    />
  );
});
