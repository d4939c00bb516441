// The stored project detail (members, my role, counts), checked by hand as it is read back at start-up.
// It was validated with ProjectDetailSchema (shared/schemas/projects.ts) when it came from the server, but
// storage outlives app versions; zod is not in the start-up script (see api/schemas.ts), and a board's first
// paint needs the member names. stored-detail.test.ts holds this check to ProjectDetailSchema's verdict.
import { PROJECT_STATUSES, TASK_STATUSES } from '../../../shared/api.ts';
import { ROLES } from '../../../shared/roles.ts';
import type { Member, ProjectDetail } from '../../../shared/schemas/projects.ts';

// zod's z.uuid(): RFC 9562 versions 1-8 with the variant bits, plus the nil and max UUIDs.
const UUID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
const oneOf = <T extends string>(values: readonly T[], v: unknown): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);

function member(v: unknown): Member | null {
  if (!isFields(v)) return null;
  const { user_id, email, full_name, role, joined_at } = v;
  if (!isUuid(user_id) || !isString(email) || !isString(full_name) || !oneOf(ROLES, role) || !isString(joined_at)) return null;
  return { user_id, email, full_name, role, joined_at };
}

/** The detail with exactly ProjectDetailSchema's fields (others dropped), or null if it does not match it. */
export function parseStoredDetail(v: unknown): ProjectDetail | null {
  if (!isFields(v)) return null;
  const { id, name, description, status, color, start_date, end_date, created_by, created_at, updated_at, my_role, members, task_counts } = v;
  if (!isUuid(id) || !isString(name) || !isString(description) || !oneOf(PROJECT_STATUSES, status)) return null;
  if (!isNullableString(color) || !isNullableString(start_date) || !isNullableString(end_date)) return null;
  if (!isUuid(created_by) || !isString(created_at) || !isString(updated_at) || !oneOf(ROLES, my_role)) return null;
  if (!Array.isArray(members) || !isFields(task_counts)) return null;
  const list: Member[] = [];
  for (const m of members) {
    const parsed = member(m);
    if (!parsed) return null;
    list.push(parsed);
  }
  const counts = {} as ProjectDetail['task_counts'];
  for (const s of TASK_STATUSES) {
    const n = task_counts[s];
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) return null;
    counts[s] = n;
  }
  return { id, name, description, status, color, start_date, end_date, created_by, created_at, updated_at, my_role, members: list, task_counts: counts };
}
