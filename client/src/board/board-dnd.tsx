// Drag and drop for the board: mouse, touch (long press, so a swipe still scrolls) and keyboard
// (Space to pick up, arrows to move, Space to drop, Escape to cancel), with spoken announcements that
// name the task and the column.
import { useState, type ReactNode } from 'react';
import {
  closestCenter,
  closestCorners,
  pointerWithin,
  rectIntersection,
  type CollisionDetection,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  MouseSensor,
  TouchSensor,
  useSensor,
  useSensors,
  type Announcements,
  type ClientRect,
  type DragEndEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
  type SensorDescriptor,
  type SensorOptions,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { COLUMN_NAMES } from './board-labels.ts';
import { COLUMN_PREFIX, findStatus, placeOnDrop, type Columns, type Placement, type TitleLookup } from './move-target.ts';
import type { TaskStatus } from '../../../shared/api.ts';

interface BoardDndProps {
  columns: Columns;
  titles: TitleLookup;
  /** No drag and drop at all (viewers). */
  disabled: boolean;
  /** Drag and drop not yet: the context stays mounted (cards keep their DOM) but nothing can be picked up. */
  inactive?: boolean;
  onDrop: (taskId: string, placement: Placement) => void;
  renderOverlay: (taskId: string) => ReactNode;
  children: ReactNode;
}

const instructions = {
  draggable:
    'To move a task, press Space or Enter to pick it up. Use the arrow keys to move it within a column or to another column. Press Space or Enter again to drop it, or Escape to cancel. Each card also has a "Move to" menu.',
};

export function describeDrop(columns: Columns, titles: TitleLookup, activeId: string, overId: string | null) {
  const title = titles.get(activeId) ?? 'task';
  if (!overId) return `Task ${title} is not over a column.`;
  const placement = placeOnDrop(columns, activeId, overId);
  if (!placement) {
    const status = overId.startsWith(COLUMN_PREFIX) ? (overId.slice(COLUMN_PREFIX.length) as TaskStatus) : findStatus(columns, overId);
    return `Task ${title} is at its current place${status ? ` in ${COLUMN_NAMES[status]}` : ''}.`;
  }
  const size = columns[placement.status].filter((t) => t.id !== activeId).length + 1;
  return `Task ${title} is over ${COLUMN_NAMES[placement.status]}, position ${placement.index + 1} of ${size}.`;
}

/**
 * Cards first, then columns. closestCorners alone averages all four corners, so a tall column loses to a
 * small card in the neighbouring column and a keyboard move to the right lands back where it started.
 * Pointer drags use what is under the pointer; keyboard drags what the dragged card overlaps most.
 */
const boardCollisions: CollisionDetection = (args) => {
  const hits = args.pointerCoordinates ? pointerWithin(args) : rectIntersection(args);
  const cards = hits.filter((c) => !String(c.id).startsWith(COLUMN_PREFIX));
  if (cards.length > 0) return args.pointerCoordinates ? cards.slice(0, 1) : cards;
  const column = hits.find((c) => String(c.id).startsWith(COLUMN_PREFIX));
  if (column) {
    // Between two cards or below the last one: the nearest card of that column, else the column itself.
    const status = String(column.id).slice(COLUMN_PREFIX.length);
    const inColumn = args.droppableContainers.filter((d) => d.data.current?.status === status);
    const y = args.pointerCoordinates?.y ?? args.collisionRect.top;
    const lowest = Math.max(...inColumn.map((d) => args.droppableRects.get(d.id)?.bottom ?? -Infinity));
    if (y > lowest) return [column];
    const nearest = inColumn.length > 0 ? closestCenter({ ...args, droppableContainers: inColumn }) : [];
    return nearest.length > 0 ? nearest : [column];
  }
  return closestCorners(args);
};

const NO_SENSORS: SensorDescriptor<SensorOptions>[] = [];
// Constants, not literals in the render: useSensor memoises on its options object, and a new sensors array
// gives every draggable new listeners, which re-rendered every card on each render of the board.
const MOUSE_OPTIONS = { activationConstraint: { distance: 6 } };
const TOUCH_OPTIONS = { activationConstraint: { delay: 250, tolerance: 8 } };

const ARROWS = new Set(['ArrowDown', 'ArrowRight', 'ArrowUp', 'ArrowLeft']);

function rectOf(node: HTMLElement): ClientRect {
  const { top, left, width, height, bottom, right } = node.getBoundingClientRect();
  return { top, left, width, height, bottom, right };
}

/**
 * dnd-kit's sortable arrow keys, also right after pick-up. dnd-kit measures the card and the drop targets in
 * an effect after the drag starts; an arrow pressed before that effect ran found no rects and did nothing (2
 * of 8 quick Space-then-ArrowRight presses in a browser). What is not measured yet is measured here.
 */
const keyboardCoordinates: KeyboardCoordinateGetter = (event, args) => {
  const found = sortableKeyboardCoordinates(event, args);
  if (found || !ARROWS.has(event.code)) return found;
  const { context } = args;
  const droppableRects = new Map(context.droppableRects);
  let measured = false;
  for (const container of context.droppableContainers.getEnabled()) {
    const node = container.node.current;
    if (droppableRects.has(container.id) || !node) continue;
    droppableRects.set(container.id, rectOf(node));
    measured = true;
  }
  const collisionRect = context.collisionRect ?? (context.activeNode ? rectOf(context.activeNode) : null);
  if (!collisionRect || (!measured && context.collisionRect)) return undefined;
  return sortableKeyboardCoordinates(event, { ...args, context: { ...context, droppableRects, collisionRect } });
};
const KEYBOARD_OPTIONS = { coordinateGetter: keyboardCoordinates };

export function BoardDnd({ columns, titles, disabled, inactive = false, onDrop, renderOverlay, children }: BoardDndProps) {
  const [activeId, setActiveId] = useState<string | null>(null);
  const sensors = useSensors(
    useSensor(MouseSensor, MOUSE_OPTIONS),
    useSensor(TouchSensor, TOUCH_OPTIONS),
    useSensor(KeyboardSensor, KEYBOARD_OPTIONS),
  );
  const str = (id: UniqueIdentifier | undefined | null) => (id == null ? null : String(id));

  const announcements: Announcements = {
    onDragStart({ active }) {
      const id = String(active.id);
      const status = findStatus(columns, id);
      const index = status ? columns[status].findIndex((t) => t.id === id) : -1;
      return `Picked up task ${titles.get(id) ?? ''}${status ? ` in ${COLUMN_NAMES[status]}, position ${index + 1} of ${columns[status].length}` : ''}.`;
    },
    onDragOver({ active, over }) {
      // Still over itself right after pick-up: keep the pick-up announcement instead of replacing it.
      if (over && over.id === active.id) return undefined;
      return describeDrop(columns, titles, String(active.id), str(over?.id));
    },
    onDragEnd({ active, over }) {
      const id = String(active.id);
      const placement = over ? placeOnDrop(columns, id, String(over.id)) : null;
      if (!placement) return `Task ${titles.get(id) ?? ''} was dropped at its original place.`;
      return `Task ${titles.get(id) ?? ''} was moved to ${COLUMN_NAMES[placement.status]}, position ${placement.index + 1}.`;
    },
    onDragCancel({ active }) {
      const id = String(active.id);
      const status = findStatus(columns, id);
      return `Moving was cancelled. Task ${titles.get(id) ?? ''} stays in ${status ? COLUMN_NAMES[status] : 'its column'}.`;
    },
  };

  const onDragStart = (event: DragStartEvent) => setActiveId(String(event.active.id));
  const onDragEnd = (event: DragEndEvent) => {
    setActiveId(null);
    if (!event.over) return;
    const placement = placeOnDrop(columns, String(event.active.id), String(event.over.id));
    if (placement) onDrop(String(event.active.id), placement);
  };

  if (disabled) return <>{children}</>;
  return (
    <DndContext
      sensors={inactive ? NO_SENSORS : sensors}
      collisionDetection={boardCollisions}
      accessibility={{ announcements, screenReaderInstructions: instructions }}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setActiveId(null)}
    >
      {children}
      <DragOverlay dropAnimation={null}>{activeId ? renderOverlay(activeId) : null}</DragOverlay>
    </DndContext>
  );
}

