// One card: priority, title (opens details), assignee, due date, tags, checklist progress, counts,
// who has it open, and whether others changed it while we were away. Editors also get a drag handle and
// the "Move to..." menu; viewers get neither.
import { memo, type CSSProperties, type Ref } from 'react';
import type { DraggableAttributes, DraggableSyntheticListeners } from '@dnd-kit/core';
import type { TaskStatus } from '../../../shared/api.ts';
import type { Tag, Task } from '../../../shared/doc-model.ts';
import { Avatar } from '../components/avatar.tsx';
import { AttachmentIcon, ChecklistIcon, CommentIcon, EyeIcon, GripIcon } from '../components/icons.tsx';
import { Link } from '../components/link.tsx';
import { MenuButton, type MenuItem } from '../components/menu-button.tsx';
import { paths } from '../router.ts';
import { BOARD_COLUMNS, COLUMN_NAMES, formatDue, PRIORITY_NAMES } from './board-labels.ts';
import { isOverdue } from './filter-tasks.ts';
import type { TaskCounts } from './use-board-data.ts';

export interface CardContext {
  projectId: string;
  readOnly: boolean;
  memberNames: ReadonlyMap<string, string>;
  tagsById: ReadonlyMap<string, Tag>;
  today: Date;
  onMove: (taskId: string, status: TaskStatus, edge: 'top' | 'bottom') => void;
}

export interface DragBindings {
  setNodeRef?: Ref<HTMLElement>;
  setActivatorNodeRef?: Ref<HTMLButtonElement>;
  attributes?: DraggableAttributes;
  listeners?: DraggableSyntheticListeners;
  style?: CSSProperties;
  isDragging?: boolean;
}

interface TaskCardProps {
  task: Task;
  counts: TaskCounts | undefined;
  viewers: string[] | undefined;
  changed: boolean;
  ctx: CardContext;
  drag?: DragBindings;
  overlay?: boolean;
}

// The card is split so that when its drag bindings change (picked up, displaced while sorting) only the
// article and its drag handle render again: the title, the menu and the details below are memoised on the
// task and the board context, which keep their identity while unchanged. dnd-kit re-renders every sortable
// on each drag state change; SortableCard (board-column.tsx) keeps the bindings' identity, and TaskCard's
// comparison below skips the card when nothing it shows changed.
/** One element for every card: React skips re-rendering an identical element when the handle re-renders. */
const GRIP = <GripIcon />;

function TaskCardView({ task, counts, viewers, changed, ctx, drag, overlay }: TaskCardProps) {
  return (
    <article
      ref={drag?.setNodeRef as Ref<HTMLElement>}
      className={`card${overlay ? ' card-overlay' : ''}`}
      style={drag?.style}
      data-task-id={task.id}
      data-priority={task.priority}
      data-changed={changed || undefined}
      data-dragging={drag?.isDragging || undefined}
      aria-label={task.title}
      {...(ctx.readOnly ? {} : drag?.listeners)}
    >
      <div className="card-top">
        <CardTitle projectId={ctx.projectId} taskId={task.id} title={task.title} overlay={overlay === true} />
        {!ctx.readOnly && !overlay && (
          <div className="card-actions">
            <button
              type="button"
              ref={drag?.setActivatorNodeRef}
              className="drag-handle"
              aria-label={`Drag ${task.title}`}
              {...drag?.attributes}
            >
              {GRIP}
            </button>
            <MoveMenu taskId={task.id} title={task.title} onMove={ctx.onMove} />
          </div>
        )}
      </div>
      <CardDetails task={task} counts={counts} viewers={viewers} changed={changed} ctx={ctx} />
    </article>
  );
}

const CardTitle = memo(function CardTitle({ projectId, taskId, title, overlay }: { projectId: string; taskId: string; title: string; overlay: boolean }) {
  return (
    // elementtiming: the browser reports when each card title first paints (bench scenario 7's "first card painted").
    <Link className="card-title" href={paths.task(projectId, taskId)} tabIndex={overlay ? -1 : undefined} elementtiming="task-card">
      {title}
    </Link>
  );
});

const MOVE_TARGETS = [...BOARD_COLUMNS, 'ARCHIVED' as const];

const MoveMenu = memo(function MoveMenu({ taskId, title, onMove }: { taskId: string; title: string; onMove: CardContext['onMove'] }) {
  const items: MenuItem[] = MOVE_TARGETS.flatMap((status) => [
    { key: `${status}-top`, label: `${COLUMN_NAMES[status]}: top`, onSelect: () => onMove(taskId, status, 'top') },
    { key: `${status}-bottom`, label: `${COLUMN_NAMES[status]}: bottom`, onSelect: () => onMove(taskId, status, 'bottom') },
  ]);
  return <MenuButton label="Move to…" ariaLabel={`Move to… ${title}`} menuLabel={`Move ${title} to`} items={items} />;
});

const CardDetails = memo(function CardDetails({ task, counts, viewers, changed, ctx }: Omit<TaskCardProps, 'drag' | 'overlay'>) {
  const assignee = task.assignee_id ? (ctx.memberNames.get(task.assignee_id) ?? 'Unknown member') : null;
  const overdue = isOverdue(task, ctx.today);
  const done = task.checklist.filter((item) => item.done).length;
  const tags = task.tag_ids.map((id) => ctx.tagsById.get(id)).filter((t): t is Tag => !!t && t.deleted_at === null);
  return (
    <>
      <div className="card-meta">
        <span className="priority" title={`Priority: ${PRIORITY_NAMES[task.priority]}`}>
          <span className="visually-hidden">Priority </span>
          {PRIORITY_NAMES[task.priority]}
        </span>
        {task.due_date && (
          <span className={`due${overdue ? ' due-overdue' : ''}`}>
            {overdue ? 'Overdue · ' : 'Due '}
            <time dateTime={task.due_date}>{formatDue(task.due_date)}</time>
          </span>
        )}
        {task.checklist.length > 0 && (
          <span title="Checklist">
            <ChecklistIcon /> 
            <span className="visually-hidden">Checklist </span>
            {done}/{task.checklist.length}
          </span>
        )}
        {counts && counts.comments > 0 && (
          <span title={`${counts.comments} comments`}>
            <CommentIcon /> 
            {counts.comments}
            <span className="visually-hidden"> comments</span>
          </span>
        )}
        {counts && counts.attachments > 0 && (
          <span title={`${counts.attachments} attachments`}>
            <AttachmentIcon /> 
            {counts.attachments}
            <span className="visually-hidden"> attachments</span>
          </span>
        )}
        {changed && <span className="changed-badge">Updated</span>}
        <span className="spacer" />
        {viewers && viewers.length > 0 && (
          <span className="viewers" title={`Open by ${viewers.join(', ')}`}>
            <span className="visually-hidden">Open by {viewers.join(', ')}</span>
            <EyeIcon />
          </span>
        )}
        {assignee && task.assignee_id && <Avatar id={task.assignee_id} name={assignee} size="sm" title={`Assigned to ${assignee}`} />}
      </div>
      {tags.length > 0 && (
        <div className="tags">
          {tags.map((tag) => (
            <span key={tag.id} className="tag-chip" style={{ '--tag-color': tag.color ?? undefined } as CSSProperties}>
              {tag.name}
            </span>
          ))}
        </div>
      )}
    </>
  );
});

/**
 * Same card: every prop identical, and the drag bindings equal field by field, except that a transition
 * change is ignored while the card has no transform before and after (CSS applies a transition only when
 * the transform itself changes, and then the new transition comes with it). A drop changes every card's
 * transition from dnd-kit's sorting one to none; without this each visible card would render again.
 */
function sameCardProps(a: TaskCardProps, b: TaskCardProps): boolean {
  return a.task === b.task && a.counts === b.counts && a.viewers === b.viewers && a.changed === b.changed && a.ctx === b.ctx && a.overlay === b.overlay && sameDrag(a.drag, b.drag);
}

function sameDrag(a: DragBindings | undefined, b: DragBindings | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const transform = a.style?.transform;
  return (
    a.setNodeRef === b.setNodeRef &&
    a.setActivatorNodeRef === b.setActivatorNodeRef &&
    a.attributes === b.attributes &&
    a.listeners === b.listeners &&
    a.isDragging === b.isDragging &&
    transform === b.style?.transform &&
    (!transform || a.style?.transition === b.style?.transition)
  );
}

export const TaskCard = memo(TaskCardView, sameCardProps);
