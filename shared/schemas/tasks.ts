// Request/response schemas of the board REST API (tasks, comments, tags, attachments, activity).
// Plain zod v4 so the client can validate and infer types too; the server wraps them in OpenAPI routes.
// Field names are the document model's (shared/doc-model.ts) plus project_id; everything is snake_case.
import { z } from 'zod';
import { TASK_PRIORITIES, TASK_STATUSES } from '../api.ts';
import {
  CHECKLIST_ITEM_MAX,
  CHECKLIST_MAX_ITEMS,
  COMMENT_MAX,
  DESCRIPTION_MAX,
  HOURS_MAX,
  TAG_NAME_MAX,
  TAGS_PER_TASK_MAX,
  TITLE_MAX,
} from '../doc-model/types.ts';

export const TaskStatusSchema = z.enum(TASK_STATUSES);
export const TaskPrioritySchema = z.enum(TASK_PRIORITIES);

/** Ordering used by `sort=priority`: by urgency, never alphabetical. */
export const PRIORITY_ORDER: Readonly<Record<(typeof TASK_PRIORITIES)[number], number>> = { LOW: 0, MEDIUM: 1, HIGH: 2, URGENT: 3 };

// z.uuid() in zod v4 enforces RFC 9562 variants; ids written by any client (or gen_random_uuid) pass.
const Uuid = z.uuid();
const IsoDateTime = z.string();
/** Calendar day, YYYY-MM-DD, checked to be a real date (2026-02-30 is refused). */
export const DateOnlySchema = z.iso.date();
const Hours = z.number().min(0).max(HOURS_MAX).nullable();

// The limits are the document model's (one source): REST refuses exactly what the model would refuse.
export { CHECKLIST_ITEM_MAX, CHECKLIST_MAX_ITEMS, COMMENT_MAX, DESCRIPTION_MAX, TAG_NAME_MAX, TAGS_PER_TASK_MAX, TITLE_MAX } from '../doc-model/types.ts';

const Title = z.string().trim().min(1, 'title must not be empty').max(TITLE_MAX);
const Description = z.string().max(DESCRIPTION_MAX);
const Color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'color must be a hex colour like #3366ff')
  .nullable();

export const ChecklistItemSchema = z.object({ id: z.string(), text: z.string(), done: z.boolean() });
const ChecklistInput = z
  .array(
    z.object({
      id: z.string().min(1).max(64).optional(),
      text: z.string().trim().min(1).max(CHECKLIST_ITEM_MAX),
      done: z.boolean().optional(),
    }),
  )
  .max(CHECKLIST_MAX_ITEMS);
const TagIds = z
  .array(Uuid)
  .max(TAGS_PER_TASK_MAX)
  .refine((ids) => new Set(ids).size === ids.length, 'tag_ids must not repeat');

export const TaskSchema = z.object({
  id: Uuid,
  project_id: Uuid,
  title: z.string(),
  description: z.string(),
  status: TaskStatusSchema,
  priority: TaskPrioritySchema,
  assignee_id: Uuid.nullable(),
  reporter_id: Uuid.nullable(),
  due_date: z.string().nullable(),
  estimated_hours: z.number().nullable(),
  actual_hours: z.number().nullable(),
  /** Board order inside the status column (fractional index; compare as strings, ties by id). */
  rank: z.string(),
  tag_ids: z.array(Uuid),
  checklist: z.array(ChecklistItemSchema),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
  completed_at: IsoDateTime.nullable(),
  deleted_at: IsoDateTime.nullable(),
}).meta({ id: 'Task' });
export type TaskDto = z.infer<typeof TaskSchema>;

export const TaskCreateSchema = z.strictObject({
  /** Optional client-chosen id (offline creation); the same id twice is refused with 409. */
  id: Uuid.optional(),
  title: Title,
  description: Description.optional(),
  status: TaskStatusSchema.optional(),
  priority: TaskPrioritySchema.optional(),
  assignee_id: Uuid.nullable().optional(),
  /** Defaults to the caller. */
  reporter_id: Uuid.nullable().optional(),
  due_date: DateOnlySchema.nullable().optional(),
  estimated_hours: Hours.optional(),
  actual_hours: Hours.optional(),
  tag_ids: TagIds.optional(),
  checklist: ChecklistInput.optional(),
  /** Place the new task directly below `after_id` / above `before_id` in its column (default: the end). */
  after_id: Uuid.nullable().optional(),
  before_id: Uuid.nullable().optional(),
});
export type TaskCreateInput = z.infer<typeof TaskCreateSchema>;

export const TaskPatchSchema = z
  .strictObject({
    title: Title.optional(),
    description: Description.optional(),
    /** A status change moves the task to the end of that column; use /move to choose the place. */
    status: TaskStatusSchema.optional(),
    priority: TaskPrioritySchema.optional(),
    assignee_id: Uuid.nullable().optional(),
    due_date: DateOnlySchema.nullable().optional(),
    estimated_hours: Hours.optional(),
    actual_hours: Hours.optional(),
    tag_ids: TagIds.optional(),
    /** Replaces the checklist: items with a known id are kept (and edited), others are added, missing ones removed. */
    checklist: ChecklistInput.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');
export type TaskPatchInput = z.infer<typeof TaskPatchSchema>;

export const TaskMoveSchema = z.strictObject({
  status: TaskStatusSchema,
  /** The task that should end up directly above the moved one. */
  after_id: Uuid.nullable().optional(),
  /** The task that should end up directly below the moved one. */
  before_id: Uuid.nullable().optional(),
});
export type TaskMoveInput = z.infer<typeof TaskMoveSchema>;

export const TASK_SORT_FIELDS = ['created_at', 'updated_at', 'due_date', 'priority', 'rank'] as const;
export type TaskSortField = (typeof TASK_SORT_FIELDS)[number];
const SORT_VALUES = TASK_SORT_FIELDS.flatMap((f) => [f, `-${f}`] as const);

/** A comma-separated list of enum values in a query string: `status=TODO,IN_PROGRESS`. */
function csvEnum<T extends readonly [string, ...string[]]>(values: T, name: string) {
  return z
    .string()
    .transform((raw) => raw.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values, { message: `${name} must be one of ${values.join(', ')} (comma-separated for several)` })).min(1));
}

const QueryBool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const PageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  per_page: z.coerce.number().int().min(1).max(100, 'per_page must be at most 100').default(20),
});

export const TaskListQuerySchema = PageQuerySchema.extend({
  status: csvEnum(TASK_STATUSES, 'status').optional(),
  priority: csvEnum(TASK_PRIORITIES, 'priority').optional(),
  assignee_id: z.union([Uuid, z.literal('none')]).optional(),
  reporter_id: Uuid.optional(),
  /** A tag id, or a tag name (case-insensitive). */
  tag: z.string().trim().min(1).max(100).optional(),
  search: z.string().trim().min(1).max(200).optional(),
  due_before: DateOnlySchema.optional(),
  due_after: DateOnlySchema.optional(),
  /** true: deleted tasks too; only: just the deleted ones (the "recently deleted" list). */
  include_deleted: z.union([QueryBool, z.literal('only')]).optional(),
  sort: z.enum(SORT_VALUES as unknown as [string, ...string[]]).default('rank'),
});
export type TaskListQuery = z.infer<typeof TaskListQuerySchema>;

export const CommentAuthorSchema = z.object({ id: Uuid, full_name: z.string() });
export interface CommentDto {
  id: string;
  task_id: string;
  project_id: string;
  parent_id: string | null;
  author_id: string | null;
  author: { id: string; full_name: string } | null;
  content: string;
  created_at: string;
  edited_at: string | null;
  updated_at: string;
  deleted_at: string | null;
  replies?: CommentDto[];
}
const CommentBase = z.object({
  id: Uuid,
  task_id: Uuid,
  project_id: Uuid,
  parent_id: Uuid.nullable(),
  author_id: Uuid.nullable(),
  author: CommentAuthorSchema.nullable(),
  /** Empty for a deleted comment kept as the placeholder of a thread that has live replies. */
  content: z.string(),
  created_at: IsoDateTime,
  edited_at: IsoDateTime.nullable(),
  updated_at: IsoDateTime,
  deleted_at: IsoDateTime.nullable(),
});
export const CommentSchema: z.ZodType<CommentDto> = CommentBase.extend({
  get replies() {
    return z.array(CommentSchema).optional();
  },
}).meta({ id: 'Comment' });
export const CommentCreateSchema = z.strictObject({
  content: z.string().trim().min(1, 'content must not be empty').max(COMMENT_MAX),
  parent_id: Uuid.nullable().optional(),
});
export const CommentPatchSchema = z.strictObject({
  content: z.string().trim().min(1, 'content must not be empty').max(COMMENT_MAX),
});

export const TagSchema = z.object({
  id: Uuid,
  project_id: Uuid,
  name: z.string(),
  color: z.string().nullable(),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
}).meta({ id: 'Tag' });
export type TagDto = z.infer<typeof TagSchema>;
const TagName = z.string().trim().min(1, 'name must not be empty').max(TAG_NAME_MAX);
export const TagCreateSchema = z.strictObject({ id: Uuid.optional(), name: TagName, color: Color.optional() });
export const TagPatchSchema = z
  .strictObject({ name: TagName.optional(), color: Color.optional() })
  .refine((v) => Object.keys(v).length > 0, 'send name and/or color');

export const AttachmentSchema = z.object({
  id: Uuid,
  project_id: Uuid,
  task_id: Uuid,
  name: z.string(),
  size: z.number(),
  mime: z.string(),
  sha256: z.string().nullable(),
  uploaded_by: Uuid.nullable(),
  created_at: IsoDateTime,
  deleted_at: IsoDateTime.nullable(),
  /** Where to download it (members only). */
  url: z.string(),
  /** False while the file is still waiting for upload (an offline client listed it in the document first). */
  uploaded: z.boolean(),
}).meta({ id: 'Attachment' });
export type AttachmentDto = z.infer<typeof AttachmentSchema>;

export const ActivitySchema = z.object({
  id: Uuid,
  project_id: Uuid,
  task_id: Uuid.nullable(),
  /** Who really made the change (from the authenticated connection or REST caller). */
  user_id: Uuid.nullable(),
  action: z.string(),
  entity_type: z.string(),
  entity_id: Uuid.nullable(),
  /** field -> [old, new] */
  changes: z.record(z.string(), z.unknown()),
  created_at: IsoDateTime,
}).meta({ id: 'Activity' });
export type ActivityDto = z.infer<typeof ActivitySchema>;

export const ActivityQuerySchema = PageQuerySchema.extend({
  user_id: Uuid.optional(),
  /** One action or several, comma-separated (task.created,task.moved). */
  action: z
    .string()
    .max(500)
    .transform((raw) => raw.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z_]+(\.[a-z_]+)*$/, 'action looks like task.created')).min(1).max(20))
    .optional(),
  since: z.iso.datetime({ offset: true }).or(DateOnlySchema).optional(),
  until: z.iso.datetime({ offset: true }).or(DateOnlySchema).optional(),
});
export type ActivityQuery = z.infer<typeof ActivityQuerySchema>;
