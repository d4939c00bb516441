// The document's top-level maps and the plumbing every writer shares: one transaction per operation, the
// clock, id generation, and the schema-version guard.
import * as Y from 'yjs';
import { DocModelError, SCHEMA_VERSION, type WriteContext } from './types.ts';

export const MAP = {
  tasks: 'tasks',
  comments: 'comments',
  tags: 'tags',
  attachments: 'attachments',
  meta: 'meta',
} as const;
export type MapName = (typeof MAP)[keyof typeof MAP];

export const tasksMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(MAP.tasks);
export const commentsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(MAP.comments);
export const tagsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(MAP.tags);
export const attachmentsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(MAP.attachments);
export const metaMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(MAP.meta);

/** The entry's Y.Map, or null when absent or not a Y.Map (a foreign client's malformed write). */
export function entryOf(map: Y.Map<unknown>, id: string): Y.Map<unknown> | null {
  const value = map.get(id);
  return value instanceof Y.Map ? value : null;
}

/** meta.schema_version as stored; null when never initialised. */
export function schemaVersionOf(doc: Y.Doc): number | null {
  const v = metaMap(doc).get('schema_version');
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}

/** True when a newer client wrote this document: reads still work, writes are refused (see DOC-MODEL.md). */
export function isNewerSchema(doc: Y.Doc): boolean {
  const v = schemaVersionOf(doc);
  return v !== null && v > SCHEMA_VERSION;
}

export function initDoc(doc: Y.Doc, ctx: WriteContext = {}): void {
  doc.transact(() => {
    if (schemaVersionOf(doc) === null) metaMap(doc).set('schema_version', SCHEMA_VERSION);
  }, ctx.origin ?? null);
}

export interface Write {
  doc: Y.Doc;
  /** ISO timestamp of this operation (one per operation, so all fields it stamps agree). */
  now: string;
  ctx: WriteContext;
  newId: () => string;
}

/**
 * Runs one operation as one Yjs transaction with ctx.origin. Validation happens inside `fn` before any
 * write, so a thrown DocModelError leaves the document untouched.
 */
export function write<T>(doc: Y.Doc, ctx: WriteContext | undefined, fn: (w: Write) => T): T {
  const c = ctx ?? {};
  if (isNewerSchema(doc)) {
    throw new DocModelError(
      'INVALID',
      `this document uses schema version ${String(schemaVersionOf(doc))}, newer than this app's ${SCHEMA_VERSION}: update the app to edit it`,
    );
  }
  const date = c.now ? c.now() : new Date();
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new DocModelError('INVALID', 'ctx.now() returned an invalid date');
  const w: Write = { doc, now: date.toISOString(), ctx: c, newId: c.newId ?? (() => crypto.randomUUID()) };
  let result: T | undefined;
  doc.transact(() => {
    result = fn(w);
    // A document first written by a writer that skipped initDoc still records its layout version.
    if (schemaVersionOf(doc) === null) metaMap(doc).set('schema_version', SCHEMA_VERSION);
  }, c.origin ?? null);
  return result as T;
}
