// Request and response schemas of the projects and members API, shared by the server (validation and the
// OpenAPI document, through @hono/zod-openapi) and the client (typed calls, form checks). Plain zod: the
// `.meta({ id })` names become OpenAPI components without importing any server library here.
import { z } from 'zod';
import { PROJECT_STATUSES, TASK_STATUSES } from '../api.ts';
import { ROLES } from '../roles.ts';

export const PROJECT_NAME_MAX = 200;
export const PROJECT_DESCRIPTION_MAX = 10_000;
export const PER_PAGE_MAX = 100;
export const PER_PAGE_DEFAULT = 20;
export const PROJECT_SORT_KEYS = ['name', 'created_at', 'updated_at', 'status'] as const;
export type ProjectSortKey = (typeof PROJECT_SORT_KEYS)[number];

export const ProjectStatusSchema = z.enum(PROJECT_STATUSES, { error: `status must be one of ${PROJECT_STATUSES.join(', ')}` });
export const RoleSchema = z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` });

const dateOnly = z.iso.date({ error: 'must be a date like 2026-03-31 (YYYY-MM-DD)' });
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'color must look like #1a2b3c');

/** Start must not come after end; checked wherever both ends are known (create here, update after merging). */
export function datesOrdered(start: string | null | undefined, end: string | null | undefined): boolean {
  return !start || !end || start <= end;
}

const projectFields = {
  name: z.string().trim().min(1, 'name must not be empty').max(PROJECT_NAME_MAX, `name must be at most ${PROJECT_NAME_MAX} characters`),
  description: z.string().max(PROJECT_DESCRIPTION_MAX, `description must be at most ${PROJECT_DESCRIPTION_MAX} characters`),
  status: ProjectStatusSchema,
  color: color.nullable(),
  start_date: dateOnly.nullable(),
  end_date: dateOnly.nullable(),
};

export const CreateProjectSchema = z
  .object({
    /** Client-chosen id, so a project created offline keeps its id when it registers later. */
    id: z.uuid('id must be a UUID').optional(),
    name: projectFields.name,
    description: projectFields.description.optional(),
    status: projectFields.status.optional(),
    color: projectFields.color.optional(),
    start_date: projectFields.start_date.optional(),
    end_date: projectFields.end_date.optional(),
  })
  .refine((p) => datesOrdered(p.start_date, p.end_date), { path: ['end_date'], message: 'end_date must not be before start_date' })
  .meta({ id: 'CreateProject' });
export type CreateProjectInput = z.input<typeof CreateProjectSchema>;

/** PATCH (and PUT, kept for older clients) change only the fields sent; null clears an optional field. */
export const UpdateProjectSchema = z
  .object({
    name: projectFields.name.optional(),
    description: projectFields.description.optional(),
    status: projectFields.status.optional(),
    color: projectFields.color.optional(),
    start_date: projectFields.start_date.optional(),
    end_date: projectFields.end_date.optional(),
  })
  .meta({ id: 'UpdateProject' });
export type UpdateProjectInput = z.input<typeof UpdateProjectSchema>;

const pageNumber = (name: string, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be at least 1`)
    .max(max, `${name} must be at most ${max}`);

export const ListProjectsQuerySchema = z.object({
  page: pageNumber('page', 1_000_000).default(1),
  per_page: pageNumber('per_page', PER_PAGE_MAX).default(PER_PAGE_DEFAULT),
  /** One status or a comma-separated list (ACTIVE,ON_HOLD). */
  status: z
    .string()
    .transform((raw) => raw.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(ProjectStatusSchema).min(1, 'status must name at least one status'))
    .optional(),
  /** Case-insensitive substring of the name or description; % and _ match themselves. */
  search: z.string().trim().max(200, 'search must be at most 200 characters').optional(),
  /** A sort key, with a leading '-' for descending. */
  sort: z
    .enum([...PROJECT_SORT_KEYS, ...PROJECT_SORT_KEYS.map((k) => `-${k}` as const)], {
      error: `sort must be one of ${PROJECT_SORT_KEYS.join(', ')} (prefix with - for descending)`,
    })
    .default('-updated_at'),
});
export type ListProjectsQuery = z.input<typeof ListProjectsQuerySchema>;

export const TaskCountsSchema = z.object(Object.fromEntries(TASK_STATUSES.map((s) => [s, z.number().int()])) as Record<
  (typeof TASK_STATUSES)[number],
  z.ZodNumber
>);

export const ProjectSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    status: ProjectStatusSchema,
    color: z.string().nullable(),
    start_date: z.string().nullable(),
    end_date: z.string().nullable(),
    created_by: z.uuid(),
    created_at: z.string(),
    updated_at: z.string(),
    /** The caller's role in this project. */
    my_role: RoleSchema,
  })
  .meta({ id: 'Project' });
export type Project = z.infer<typeof ProjectSchema>;

export const MemberSchema = z
  .object({
    user_id: z.uuid(),
    email: z.string(),
    full_name: z.string(),
    role: RoleSchema,
    joined_at: z.string(),
  })
  .meta({ id: 'ProjectMember' });
export type Member = z.infer<typeof MemberSchema>;

export const ProjectDetailSchema = ProjectSchema.extend({
  members: z.array(MemberSchema),
  task_counts: TaskCountsSchema,
}).meta({ id: 'ProjectDetail' });
export type ProjectDetail = z.infer<typeof ProjectDetailSchema>;

export const AddMemberSchema = z
  .object({
    email: z.email('email must be an email address').optional(),
    user_id: z.uuid('user_id must be a UUID').optional(),
    role: RoleSchema.default('MEMBER'),
  })
  .refine((b) => (b.email === undefined) !== (b.user_id === undefined), {
    message: 'send exactly one of email or user_id',
    path: ['email'],
  })
  .meta({ id: 'AddMember' });
export type AddMemberInput = z.input<typeof AddMemberSchema>;

export const UpdateMemberSchema = z.object({ role: RoleSchema }).meta({ id: 'UpdateMember' });
export type UpdateMemberInput = z.input<typeof UpdateMemberSchema>;
