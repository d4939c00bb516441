// The board: columns by status from the project's Y.Doc, filters, presence, undo/redo, and moves that
// apply locally at once (no spinner) and sync in the background.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { createTask, moveTask, type Tag, type Task, type WriteContext } from '../../../shared/doc-model.ts';
import { TASK_STATUSES, type TaskStatus } from '../../../shared/api.ts';
import { can } from '../../../shared/roles.ts';
import { useSession } from '../auth/session.ts';
import { buildBoardPreview, parseBoardPreview, type BoardPreview } from '../db/board-preview.ts';
import { useProject } from '../db/live-queries.ts';
import { Avatar } from '../components/avatar.tsx';
import { RedoIcon, UndoIcon } from '../components/icons.tsx';
import { Link } from '../components/link.tsx';
import { memberNames, useProjectDetail } from '../projects/use-project-detail.ts';
import { navigate, paths } from '../router.ts';
import { MenuButton } from '../components/menu-button.tsx';
import { useChangedByOthers, usePresence, useProjectSession, type ProjectSessionView } from '../sync/project-session.ts';
import { lazyComponent } from '../components/lazy.tsx';
import { hasActiveFilters, useBoardFilters, useUiStore } from '../ui-store.ts';
import { BoardColumn } from './board-column.tsx';
import { BoardDnd } from './board-dnd.tsx';
import { BoardFilterBar } from './board-filters.tsx';
import { BOARD_COLUMNS, COLUMN_NAMES, dueFormatters } from './board-labels.ts';
import { filterTasks } from './filter-tasks.ts';
import { lazyTitles, placeAtEdge, type Columns, type Placement } from './move-target.ts';
import { TaskCard, type CardContext } from './task-card.tsx';
import { boardCacheOf } from './board-cache.ts';
import { useBoardData, type TaskCounts } from './use-board-data.ts';
import { otherPeople, viewersByTask } from './use-presence.ts';
import { useUndo } from './use-undo.ts';

// The task dialog (fields, comments, checklist, attachments, activity) is evaluated on first use, not at start-up.
const TaskDetails = lazyComponent(() => import('../task/task-details.tsx').then((m) => m.TaskDetails));

export function BoardScreen({ projectId, openTaskId }: { projectId: string; openTaskId: string | null }) {
  const session = useProjectSession(projectId);
  const filters = useBoardFilters(projectId);
  const stored = session && !session.ready ? session.preview : null;
  const preview = useMemo(() => (stored ? parseBoardPreview(stored) : null), [stored]);
  // The preview holds the first cards of each column: it can stand for the board only unfiltered.
  const showPreview = preview !== null && !hasActiveFilters(filters);
  const waiting = !session || (!session.ready && !showPreview);
  // While the stored board is read, the page is idle: make the due date formatters then (see dueFormatters).
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(dueFormatters, 0);
    return () => clearTimeout(timer);
  }, [waiting]);
  if (waiting) {
    return (
      <main className="board-page" id="main">
        <p className="empty" role="status">
          Opening board…
        </p>
      </main>
    );
  }
  if (session.noAccess) {
    return (
      <main className="page" id="main">
        <h1>Board not available</h1>
        <p>This project does not exist or you are not a member. <Link href={paths.projects()}>Back to your projects</Link></p>
      </main>
    );
  }
  return <Board session={session} projectId={projectId} openTaskId={openTaskId} preview={session.ready ? null : preview} />;
}

interface BoardProps {
  session: ProjectSessionView;
  projectId: string;
  openTaskId: string | null;
  /** While the document loads: the stored first cards of each column, shown inert (nothing to edit yet). */
  preview: BoardPreview | null;
}

function Board({ session, projectId, openTaskId, preview }: BoardProps) {
  const user = useSession((s) => s.user);
  // Start-up mark (see main.tsx): the board's first commit, before the browser lays it out and paints it.
  useLayoutEffect(() => void performance.mark('fb:board-committed'), []);
  const { doc, origin, userId } = session;
  const { detail } = useProjectDetail(projectId);
  const localProject = useProject(projectId);
  const role = session.role ?? detail?.my_role ?? null;
  const readOnly = !can(role, 'board.write');
  const live = useBoardData(doc);
  const previewData = useMemo(() => (preview ? fromPreview(preview) : null), [preview]);
  const { board, tags, counts } = previewData ?? live;
  const loading = previewData !== null;
  // The stored preview (db/board-preview.ts) is built when the session asks, a second after the last change:
  // the board from its cache (always current), counts and tags as last rendered (re-read only when their
  // maps change; a full comment scan here would stall the next interaction).
  const { setPreviewSource } = session;
  const rendered = useRef({ counts: live.counts, tags: live.tags });
  useEffect(() => {
    rendered.current = { counts: live.counts, tags: live.tags };
  }, [live.counts, live.tags]);
  useEffect(() => {
    if (loading) return;
    setPreviewSource(() => buildBoardPreview(boardCacheOf(doc).board(), rendered.current.counts, rendered.current.tags));
    return () => setPreviewSource(null);
  }, [doc, loading, setPreviewSource]);
  const filters = useBoardFilters(projectId);
  const showArchived = useUiStore((s) => s.showArchived);
  const presence = usePresence(session.awareness);
  const { changed } = useChangedByOthers(projectId);
  const { canUndo, canRedo, undo, redo } = useUndo(session.undoManager, !readOnly);
  // After a move: focus a control of the moved card, in the column it went to (only that column is told).
  const [focus, setFocus] = useState<{ taskId: string; selector: string; status: TaskStatus } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // Card heights by task id for every column's virtualizer: a moved card keeps its measured height.
  const [cardHeights] = useState(() => new Map<string, number>());
  const today = useMemo(() => new Date(), []);
  const writeCtx = useMemo(() => ({ origin, userId }), [origin, userId]);
  // Single placing writes (a move, a quick add) take the column from the board cache instead of having the
  // doc model scan every task (ctx.column). Not for writes inside an outer transaction (the cache lags).
  const placeCtx = useMemo<WriteContext>(() => ({ ...writeCtx, column: (status) => boardCacheOf(doc).board()[status] }), [writeCtx, doc]);
  const undoManager = session.undoManager;

  const names = useMemo(() => memberNames(detail), [detail]);
  const members = useMemo(() => [...names].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)), [names]);
  const tagsById = useMemo(() => new Map(tags.map((t) => [t.id, t])), [tags]);
  const tagNames = useMemo(() => new Map(tags.map((t) => [t.id, t.name])), [tags]);
  const statuses = showArchived ? [...BOARD_COLUMNS, 'ARCHIVED' as const] : BOARD_COLUMNS;
  const visible = useMemo(() => {
    const out = {} as Record<TaskStatus, readonly Task[]>;
    for (const status of Object.keys(board) as TaskStatus[]) {
      // A column the filters leave whole stays the board's array, so its memoised cards keep their props.
      const kept = filterTasks(board[status], filters, today, tagNames);
      out[status] = kept.length === board[status].length ? board[status] : kept;
    }
    return out;
  }, [board, filters, today, tagNames]);
  // Titles by id for announcements: built on first use (a drag or a menu move), not on every board change.
  const titles = useMemo(() => lazyTitles(board), [board]);
  const viewers = useMemo(() => viewersByTask(presence, userId), [presence, userId]);
  const people = otherPeople(presence, userId);

  const applyMove = useCallback(
    (taskId: string, placement: Placement, selector: string) => {
      moveTask(doc, taskId, { status: placement.status, after_id: placement.after_id, before_id: placement.before_id }, placeCtx);
      // One board action, one undo step: without this a move made within captureTimeout of the previous
      // action (a quick add, another move) was merged with it, and Ctrl+Z undid both.
      undoManager.stopCapturing();
      setFocus({ taskId, selector, status: placement.status });
    },
    [doc, placeCtx, undoManager],
  );
  // Read at call time, so onMenuMove (and with it every card's ctx) keeps its identity across board edits.
  const latest = useRef({ visible, titles, showArchived });
  useEffect(() => {
    latest.current = { visible, titles, showArchived };
  }, [visible, titles, showArchived]);
  const onMenuMove = useCallback(
    (taskId: string, status: TaskStatus, edge: 'top' | 'bottom') => {
      const { visible, titles, showArchived } = latest.current;
      const placement = placeAtEdge(visible as Columns, taskId, status, edge);
      applyMove(taskId, placement, '.menu-button');
      setAnnouncement(`Moved ${titles.get(taskId) ?? 'task'} to the ${edge} of ${COLUMN_NAMES[status]}.`);
      if (status === 'ARCHIVED' && !showArchived) setAnnouncement(`Archived ${titles.get(taskId) ?? 'task'}. Show archived tasks to see it.`);
    },
    [applyMove],
  );
  const onQuickAdd = useCallback(
    (status: TaskStatus, title: string) => {
      createTask(doc, { title, status }, placeCtx);
      undoManager.stopCapturing();
      setAnnouncement(`Added ${title} to ${COLUMN_NAMES[status]}.`);
    },
    [doc, placeCtx, undoManager],
  );
  const clearFocus = useCallback(() => setFocus(null), []);

  // A console/test hook that writes to the open board without the UI's role checks, so the browser tests
  // can prove the server (not the UI) refuses a viewer's writes. It grants nothing: the server decides.
  useEffect(() => {
    const hook = {
      forceCreateTask: (title: string) => createTask(doc, { title }, writeCtx),
      /** Bulk tasks in one transaction, for measuring large boards. */
      seedTasks: (count: number, status: TaskStatus = 'TODO') =>
        doc.transact(() => {
          for (let i = 0; i < count; i++) createTask(doc, { title: `Seeded task ${i + 1}`, status }, writeCtx);
        }, writeCtx.origin),
    };
    (window as unknown as { __fieldboardDebug?: typeof hook }).__fieldboardDebug = hook;
    return () => {
      const w = window as unknown as { __fieldboardDebug?: typeof hook };
      if (w.__fieldboardDebug === hook) delete w.__fieldboardDebug;
    };
  }, [doc, writeCtx]);

  const ctx: CardContext = useMemo(
    () => ({ projectId, readOnly, memberNames: names, tagsById, today, onMove: onMenuMove }),
    [projectId, readOnly, names, tagsById, today, onMenuMove],
  );
  // The local project record works offline; the server's detail fills in when online.
  const project = localProject ?? detail;

  return (
    <main className="board-page" id="main" aria-busy={loading || undefined} style={{ '--project-color': project?.color ?? undefined } as CSSProperties}>
      <div className="board-header">
        <h1>
          <span className="swatch" aria-hidden="true" />
          <span className="title-text">{project?.name ?? 'Board'}</span>
        </h1>
        {people.length > 0 && (
          <ul className="presence" aria-label={`On this board now: ${people.map((p) => p.user.name).join(', ')}`}>
            {people.slice(0, 6).map((p) => (
              <li key={p.user.id}>
                <Avatar id={p.user.id} name={p.user.name} title={`${p.user.name} is on this board`} />
              </li>
            ))}
          </ul>
        )}
        <span className="spacer" />
        {!readOnly && (
          <div className="undo-group">
            <button type="button" onClick={undo} disabled={!canUndo} aria-keyshortcuts="Control+Z" title="Undo (Ctrl+Z)" aria-label="Undo">
              <UndoIcon />
              <span className="desktop-only">Undo</span>
            </button>
            <button type="button" onClick={redo} disabled={!canRedo} aria-keyshortcuts="Control+Shift+Z" title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
              <RedoIcon />
              <span className="desktop-only">Redo</span>
            </button>
          </div>
        )}
        <nav aria-label="Project" className="desktop-only">
          <Link href={paths.deleted(projectId)}>Recently deleted</Link>
          <Link href={paths.members(projectId)}>Members</Link>
          {can(role, 'project.update') && <Link href={paths.settings(projectId)}>Settings</Link>}
        </nav>
        <MenuButton
          className="phone-only"
          label="More"
          ariaLabel="More project pages"
          items={[
            { key: 'deleted', label: 'Recently deleted', onSelect: () => navigate(paths.deleted(projectId)) },
            { key: 'members', label: 'Members', onSelect: () => navigate(paths.members(projectId)) },
            ...(can(role, 'project.update') ? [{ key: 'settings', label: 'Settings', onSelect: () => navigate(paths.settings(projectId)) }] : []),
          ]}
        />
      </div>
      <BoardFilterBar projectId={projectId} members={members} tags={tags} selfId={user?.id ?? null} />
      {readOnly && (
        <p className="alert alert-info board-notice">
          {role === 'VIEWER' ? 'You can view this board but not change it.' : 'Checking your access… changes are disabled until then.'}
        </p>
      )}
      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
      <BoardDnd
        columns={visible}
        titles={titles}
        disabled={readOnly}
        inactive={loading}
        onDrop={(taskId, placement) => applyMove(taskId, placement, '.drag-handle')}
        renderOverlay={(taskId) => {
          const task = Object.values(board).flat().find((t) => t.id === taskId);
          return task ? <TaskCard task={task} counts={counts[task.id]} viewers={undefined} changed={false} ctx={ctx} overlay /> : null;
        }}
      >
        <div className="columns" inert={loading}>
          {statuses.map((status) => (
            <BoardColumn
              key={status}
              status={status}
              tasks={visible[status]}
              total={previewData ? previewData.totals[status] : board[status].length}
              partial={loading}
              counts={counts}
              viewers={viewers}
              changed={changed}
              ctx={ctx}
              focus={focus?.status === status ? focus : null}
              onFocused={clearFocus}
              cardHeights={cardHeights}
              onQuickAdd={onQuickAdd}
            />
          ))}
        </div>
      </BoardDnd>
      {openTaskId && !loading && <TaskDetails session={session} projectId={projectId} taskId={openTaskId} readOnly={readOnly} members={members} />}
    </main>
  );
}

/** The preview as the board's data: first cards per column, the real column sizes, counts and tags. */
function fromPreview(preview: BoardPreview): { board: Record<TaskStatus, Task[]>; totals: Record<TaskStatus, number>; tags: Tag[]; counts: Record<string, TaskCounts> } {
  const board = {} as Record<TaskStatus, Task[]>;
  const totals = {} as Record<TaskStatus, number>;
  for (const status of TASK_STATUSES) {
    board[status] = preview.columns[status].tasks;
    totals[status] = preview.columns[status].total;
  }
  return { board, totals, tags: preview.tags, counts: preview.counts };
}

