// Write-side validation: every value a writer stores passes one of these first. Failures throw
// DocModelError('INVALID') with a message naming the field, so REST can hand it to the user as is.
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '../api.ts';
import { DocModelError, HOURS_MAX } from './types.ts';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COLOR_RE = /^#[0-9a-fA-F]{6}$/;
const SHA256_RE = /^[0-9a-f]{64}$/i;
const ISO_TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

export function invalid(message: string): never {
  throw new DocModelError('INVALID', message);
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}

/** A real calendar day in YYYY-MM-DD form (2026-02-30 is refused). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function isIsoTimestamp(value: unknown): value is string {
  return typeof value === 'string' && ISO_TIMESTAMP_RE.test(value) && !Number.isNaN(Date.parse(value));
}

export function isHours(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= HOURS_MAX;
}

export function uuid(field: string, value: unknown): string {
  if (!isUuid(value)) invalid(`${field} must be a UUID, got ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

export function optionalUuid(field: string, value: unknown): string | null {
  return value === null || value === undefined ? null : uuid(field, value);
}

/** Trimmed text of 1..max characters. */
export function text(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string') invalid(`${field} must be a string`);
  const trimmed = value.trim();
  if (trimmed.length === 0) invalid(`${field} must not be empty`);
  if (trimmed.length > max) invalid(`${field} must be at most ${max} characters (got ${trimmed.length})`);
  return trimmed;
}

/** Free text (may be empty, kept as written) of at most max characters. */
export function longText(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string') invalid(`${field} must be a string`);
  if (value.length > max) invalid(`${field} must be at most ${max} characters (got ${value.length})`);
  return value;
}

export function status(value: unknown): TaskStatus {
  if (!(TASK_STATUSES as readonly unknown[]).includes(value)) invalid(`status must be one of ${TASK_STATUSES.join(', ')}`);
  return value as TaskStatus;
}

export function priority(value: unknown): TaskPriority {
  if (!(TASK_PRIORITIES as readonly unknown[]).includes(value)) invalid(`priority must be one of ${TASK_PRIORITIES.join(', ')}`);
  return value as TaskPriority;
}

export function optionalDate(field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (!isIsoDate(value)) invalid(`${field} must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

export function optionalHours(field: string, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (!isHours(value)) invalid(`${field} must be a finite number of hours between 0 and ${HOURS_MAX}`);
  return value;
}

export function optionalColor(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || !COLOR_RE.test(value)) invalid('color must be a hex colour like #3366ff');
  return value.toLowerCase();
}

export function optionalSha256(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || !SHA256_RE.test(value)) invalid('sha256 must be 64 hexadecimal characters');
  return value.toLowerCase();
}

export function timestamp(field: string, value: unknown): string {
  if (!isIsoTimestamp(value)) invalid(`${field} must be an ISO 8601 timestamp`);
  return new Date(value).toISOString();
}

/** Distinct UUIDs, lower-cased, at most max. */
export function uuidList(field: string, value: unknown, max: number): string[] {
  if (!Array.isArray(value)) invalid(`${field} must be an array of UUIDs`);
  const ids = value.map((v, i) => uuid(`${field}[${i}]`, v));
  if (new Set(ids).size !== ids.length) invalid(`${field} must not repeat an id`);
  if (ids.length > max) invalid(`${field} may hold at most ${max} ids`);
  return ids;
}

/** Checklist item ids are short opaque strings (UUIDs by default), so foreign clients may use their own. */
export function checklistId(value: unknown): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > 64) invalid('checklist item id must be 1..64 characters');
  return value;
}
