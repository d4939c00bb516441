// Plain types of the project document (see shared/DOC-MODEL.md) and the one error type its writers throw.
import type { TaskPriority, TaskStatus } from '../api.ts';
import type { RankOptions } from '../rank.ts';

export type { TaskPriority, TaskStatus } from '../api.ts';
export { TASK_PRIORITIES, TASK_STATUSES } from '../api.ts';

/** Version of the document layout written to meta.schema_version. History in DOC-MODEL.md ("Schema versions"). */
export const SCHEMA_VERSION = 1;

// Limits of the document model; the REST schemas (shared/schemas/tasks.ts) import these.
export const TITLE_MAX = 500;
export const DESCRIPTION_MAX = 100_000;
export const COMMENT_MAX = 20_000;
export const TAG_NAME_MAX = 50;
export const CHECKLIST_ITEM_MAX = 500;
export const CHECKLIST_MAX_ITEMS = 200;
export const TAGS_PER_TASK_MAX = 50;
export const HOURS_MAX = 100_000;
export const ATTACHMENT_NAME_MAX = 255;

export interface WriteContext {
  /** Transaction origin (e.g. the session's origin so an UndoManager tracks only this user's writes). Default null. */
  origin?: unknown;
  /** Clock for created_at/updated_at/...; default `new Date()`. */
  now?: () => Date;
  /** The acting user: default reporter of new tasks. */
  userId?: string | null;
  /** Id source for new entities; default crypto.randomUUID. Tests pass a seeded one. */
  newId?: () => string;
  /** Options for new rank keys (seeded jitter in tests). */
  rank?: RankOptions;
  /**
   * The column as `readColumn(doc, status)` would return it (same members, (rank, id) order), from a view
   * the caller keeps current, e.g. the client's board cache. Placement otherwise reads every task of the
   * document (tens of milliseconds at 5,000 tasks). Must reflect the document as of the start of the write:
   * never pass it to writes made inside an outer transaction. A wrong column gives a wrong position, never a
   * broken document.
   */
  column?: (status: TaskStatus) => readonly { id: string; rank: string }[];
}

export interface ChecklistItem {
  id: string;
  text: string;
  done: boolean;
}

export interface Task {
  id: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  assignee_id: string | null;
  reporter_id: string | null;
  /** YYYY-MM-DD */
  due_date: string | null;
  estimated_hours: number | null;
  actual_hours: number | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  deleted_at: string | null;
  rank: string;
  /** Sorted. May name tags that are deleted or not yet synced: join with readTags. */
  tag_ids: string[];
  checklist: ChecklistItem[];
}

export interface Comment {
  id: string;
  task_id: string;
  parent_id: string | null;
  author_id: string | null;
  content: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
}

export type CommentNode = Comment & { replies: CommentNode[] };

export interface Tag {
  id: string;
  name: string;
  color: string | null;
  created_at?: string;
  updated_at?: string;
  deleted_at: string | null;
}

export interface Attachment {
  id: string;
  task_id: string;
  name: string;
  size: number;
  mime: string;
  sha256: string | null;
  uploaded_by: string | null;
  created_at: string;
  deleted_at: string | null;
}

export interface ChecklistInputItem {
  id?: string;
  text: string;
  done?: boolean;
}

export interface TaskInput {
  id?: string;
  title: string;
  description?: string;
  status?: TaskStatus;
  priority?: TaskPriority;
  assignee_id?: string | null;
  /** Default: ctx.userId. */
  reporter_id?: string | null;
  due_date?: string | null;
  estimated_hours?: number | null;
  actual_hours?: number | null;
  tag_ids?: string[];
  checklist?: ChecklistInputItem[];
  /** Position in the column: the task that will be directly above (after_id) / below (before_id). Default: end. */
  before_id?: string | null;
  after_id?: string | null;
}

/** A status change moves the task to the end of that column (same as moveTask without neighbours). */
export type TaskPatch = Partial<
  Pick<
    Task,
    'title' | 'description' | 'status' | 'priority' | 'assignee_id' | 'due_date' | 'estimated_hours' | 'actual_hours' | 'tag_ids'
  >
>;

export interface MoveTarget {
  status: TaskStatus;
  /** The task directly above the new position. */
  after_id?: string | null;
  /** The task directly below the new position. */
  before_id?: string | null;
}

export interface CommentInput {
  task_id: string;
  parent_id?: string | null;
  content: string;
  author_id: string | null;
  id?: string;
}

export interface TagInput {
  name: string;
  color?: string | null;
  id?: string;
}

export type AttachmentInput = Omit<Attachment, 'created_at' | 'deleted_at'> & { created_at?: string };

/** One entry a read skipped or repaired; reads report instead of throwing. */
export interface ReadProblem {
  map: string;
  id: string;
  reason: string;
}

export type DocModelErrorCode = 'NOT_FOUND' | 'INVALID';

export class DocModelError extends Error {
  override name = 'DocModelError';
  readonly code: DocModelErrorCode;
  constructor(code: DocModelErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
