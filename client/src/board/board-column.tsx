// One column: a droppable area with a virtualized list of sortable cards (only the visible ones are in
// the DOM, so a column of thousands of tasks scrolls smoothly) and a quick-add form.
import { memo, useCallback, useEffect, useMemo, useRef, type ReactNode, type RefObject } from 'react';
import { useDroppable } from '@dnd-kit/core';
import { defaultAnimateLayoutChanges, SortableContext, useSortable, verticalListSortingStrategy, type AnimateLayoutChanges } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import type { TaskStatus } from '../../../shared/api.ts';
import type { Task } from '../../../shared/doc-model.ts';
import { COLUMN_NAMES } from './board-labels.ts';
import { columnDropId } from './move-target.ts';
import { QuickAdd } from './quick-add.tsx';
import { TaskCard, type CardContext, type DragBindings } from './task-card.tsx';
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
  /** Measured card heights by task id, shared by the board's columns (see measureCard). */
  cardHeights: Map<string, number>;
  onFocused: () => void;
  onQuickAdd: (status: TaskStatus, title: string) => void;
}

const ESTIMATED_CARD = 104;

// Memoised: a column whose tasks array (and other props) kept identity skips rendering on an edit elsewhere.
// It does not follow dnd-kit's context itself (ColumnDropArea does), so a drag step or a drop re-renders
// neither its virtualizer nor its rows, only the drop area and the sortable cards.
export const BoardColumn = memo(function BoardColumn(props: BoardColumnProps) {
  const { status, tasks, total, ctx, focus, partial } = props;
  const shown = partial ? total : tasks.length;
  const focusTaskId = focus?.taskId ?? null;
  const focusSelector = focus?.selector ?? '.card-title';
  const scrollRef = useRef<HTMLDivElement>(null);
  // A stable key function: the virtualizer recomputes every item's measurement (the whole column) whenever
  // it changes, so it must change only with the tasks.
  const getItemKey = useCallback((index: number) => tasks[index]!.id, [tasks]);
  const { cardHeights } = props;
  const estimateSize = useCallback((index: number) => cardHeights.get(tasks[index]!.id) ?? ESTIMATED_CARD, [cardHeights, tasks]);
  const measureElement = useCallback(
    (element: Element, entry: ResizeObserverEntry | undefined, instance: Virtualizer<HTMLDivElement, Element>) => measureCard(cardHeights, element, entry, instance),
    [cardHeights],
  );
  const virtualizer = useVirtualizer({
    count: tasks.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    measureElement,
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
    <ColumnDropArea
      status={status}
      readOnly={ctx.readOnly}
      headingId={headingId}
      scrollRef={scrollRef}
      header={
        <div className="column-header">
          <h2 id={headingId}>{COLUMN_NAMES[status]}</h2>
          <span className="column-count" aria-label={shown === total ? `${total} tasks` : `${shown} of ${total} tasks shown`}>
            {shown === total ? total : `${shown}/${total}`}
          </span>
        </div>
      }
      footer={!ctx.readOnly && status !== 'ARCHIVED' && <QuickAdd status={status} onAdd={props.onQuickAdd} onAdded={() => virtualizer.scrollToIndex(tasks.length, { align: 'end' })} />}
    >
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
    </ColumnDropArea>
  );
});

/**
 * A row's height: from its ResizeObserver entry, else from what this column or another one measured for the
 * task, else from the DOM. A card moved to another column (all columns have the same width) keeps its
 * height, so its new row is placed right at once and the drop's commit needs no synchronous measurement
 * (offsetHeight forced a layout of the whole page there). The row's ResizeObserver corrects a stale size.
 */
export function measureCard(heights: Map<string, number>, element: Element, entry: ResizeObserverEntry | undefined, instance: Virtualizer<HTMLDivElement, Element>): number {
  const key = String(instance.options.getItemKey(instance.indexFromElement(element)));
  const box = entry?.borderBoxSize?.[0];
  if (!box) {
    const known = instance.itemSizeCache.get(key) ?? heights.get(key);
    if (known !== undefined) return known;
  }
  const size = box ? Math.round(box.blockSize) : (element as HTMLElement).offsetHeight;
  heights.set(key, size);
  return size;
}

const FILL = { minHeight: '100%' };

/**
 * The column as a drop target: the only part of a column that re-renders when dnd-kit's state changes
 * (every drag step, a drop, a card mounting or unmounting as a droppable). Header, footer and the list
 * are elements built by BoardColumn, so React reuses them as they are.
 */
function ColumnDropArea(props: {
  status: TaskStatus;
  readOnly: boolean;
  headingId: string;
  scrollRef: RefObject<HTMLDivElement | null>;
  header: ReactNode;
  footer: ReactNode;
  children: ReactNode;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: columnDropId(props.status), disabled: props.readOnly });
  return (
    <section className="column" aria-labelledby={props.headingId} data-over={isOver || undefined} data-status={props.status}>
      {props.header}
      <div className="column-scroll" ref={props.scrollRef}>
        <div ref={setNodeRef} style={FILL}>
          {props.children}
        </div>
      </div>
      {props.footer}
    </section>
  );
}

/**
 * dnd-kit's layout-change animation, except for a card whose index a drop changed. For those the default
 * measured the card (a forced layout in the drop's commit), then set a transform and cleared it again: two
 * more renders inside the drop's task, before any frame, so that animation never reached the screen.
 * While sorting, and for cards returning to their place after a cancelled drag, nothing changes.
 */
const animateLayoutChanges: AnimateLayoutChanges = (args) => {
  if (!args.isSorting && args.previousItems !== args.items && args.previousItems.indexOf(args.id) !== args.index) return false;
  return defaultAnimateLayoutChanges(args);
};

interface SortableCardProps {
  task: Task;
  counts: TaskCounts | undefined;
  viewers: string[] | undefined;
  changed: boolean;
  ctx: CardContext;
}

// Memoised on the task object (the board cache keeps it while the task is unchanged). dnd-kit re-renders
// every sortable whenever its state changes (each drag step, a drop, a droppable registering), so this
// wrapper stays thin: the drag bindings keep their identity unless this card's own drag state changed,
// and TaskCard (memoised) skips rendering for all other cards.
const SortableCard = memo(function SortableCard({ task, counts, viewers, changed, ctx }: SortableCardProps) {
  const data = useMemo(() => ({ status: task.status }), [task.status]);
  const { setNodeRef, setActivatorNodeRef, attributes, listeners, isDragging, transform, transition } = useSortable({
    id: task.id,
    disabled: ctx.readOnly,
    data,
    animateLayoutChanges,
  });
  const translate = CSS.Translate.toString(transform);
  const drag = useMemo<DragBindings>(
    () => ({ setNodeRef, setActivatorNodeRef, attributes, listeners, isDragging, style: { transform: translate, transition } }),
    [setNodeRef, setActivatorNodeRef, attributes, listeners, isDragging, translate, transition],
  );
  return <TaskCard task={task} counts={counts} viewers={viewers} changed={changed} ctx={ctx} drag={drag} />;
});
