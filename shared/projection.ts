// Document -> plain rows with the SQL column names of migrations/0001_init.sql (minus project_id, which
// the caller adds). The server writes them to PostgreSQL, the client to Dexie; both can rebuild them from
// the document at any time. Rows are deterministic: the same document gives the same rows on every replica.
import * as Y from 'yjs';
import { MAP, readAttachments, readComments, readTags, readTasks, type Attachment, type Comment, type Tag, type Task } from './doc-model.ts';
import { EPOCH, parseAttachment, parseComment, parseTag, parseTask } from './doc-model/parse.ts';

/** A task as a `tasks` row: the document's fields minus tag_ids, which become task_tags rows. */
export type TaskRow = Omit<Task, 'tag_ids'>;
export interface CommentRow {
  id: string;
  task_id: string;
  /** The document's parent_id. */
  parent_comment_id: string | null;
  author_id: string | null;
  content: string;
  created_at: string;
  edited_at: string | null;
  /** Latest of created_at, edited_at, deleted_at (the document keeps no separate field). */
  updated_at: string;
  deleted_at: string | null;
}
export interface TagRow {
  id: string;
  name: string;
  color: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}
export interface TaskTagRow {
  task_id: string;
  tag_id: string;
}
export interface AttachmentRow {
  id: string;
  task_id: string;
  name: string;
  size: number;
  mime: string;
  sha256: string | null;
  uploaded_by: string | null;
  created_at: string;
  /** deleted_at when removed, else created_at. */
  updated_at: string;
  deleted_at: string | null;
}

/** Every row, each list ordered by id (taskTags by task_id, tag_id). Deleted entities are included. */
export interface ProjectionRows {
  tasks: TaskRow[];
  comments: CommentRow[];
  tags: TagRow[];
  taskTags: TaskTagRow[];
  attachments: AttachmentRow[];
}

export interface EntityDelta<R> {
  upsert: R[];
  /** Ids whose entry left the document or became unreadable. */
  remove: string[];
}
export interface ProjectionDelta {
  tasks: EntityDelta<TaskRow>;
  comments: EntityDelta<CommentRow>;
  tags: EntityDelta<TagRow>;
  /** The complete tag set of each listed task (empty for a removed task): replace that task's rows. */
  taskTags: { set: { task_id: string; tag_ids: string[] }[] };
  attachments: EntityDelta<AttachmentRow>;
}

export function taskRow(t: Task): TaskRow {
  const { tag_ids: _tags, ...row } = t;
  return { ...row, checklist: t.checklist.map((c) => ({ ...c })) };
}

export function commentRow(c: Comment): CommentRow {
  const updated = [c.edited_at, c.deleted_at].reduce<string>((latest, ts) => (ts !== null && Date.parse(ts) > Date.parse(latest) ? ts : latest), c.created_at);
  return {
    id: c.id,
    task_id: c.task_id,
    parent_comment_id: c.parent_id,
    author_id: c.author_id,
    content: c.content,
    created_at: c.created_at,
    edited_at: c.edited_at,
    updated_at: updated,
    deleted_at: c.deleted_at,
  };
}

export function tagRow(t: Tag): TagRow {
  const created = t.created_at ?? EPOCH;
  return { id: t.id, name: t.name, color: t.color, created_at: created, updated_at: t.updated_at ?? created, deleted_at: t.deleted_at };
}

export function attachmentRow(a: Attachment): AttachmentRow {
  return { ...a, updated_at: a.deleted_at ?? a.created_at };
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function projectDoc(doc: Y.Doc): ProjectionRows {
  const tasks = readTasks(doc, { includeDeleted: true }).tasks;
  const taskTags: TaskTagRow[] = [];
  for (const t of tasks) for (const tag_id of t.tag_ids) taskTags.push({ task_id: t.id, tag_id });
  return {
    tasks: tasks.map(taskRow),
    comments: readComments(doc).comments.map(commentRow).sort(byId),
    tags: readTags(doc, { includeDeleted: true }).map(tagRow).sort(byId),
    taskTags,
    attachments: readAttachments(doc, undefined, { includeDeleted: true }).map(attachmentRow).sort(byId),
  };
}

interface Touched {
  tasks: Set<string>;
  taskTags: Set<string>;
  comments: Set<string>;
  tags: Set<string>;
  attachments: Set<string>;
}
const emptyTouched = (): Touched => ({ tasks: new Set(), taskTags: new Set(), comments: new Set(), tags: new Set(), attachments: new Set() });

/**
 * Marks the entities a transaction changed, from tr.changed only: each changed type is walked up to the
 * top-level map, so the cost is the size of the change times the nesting depth (at most 4), never the
 * size of the document.
 */
function collect(doc: Y.Doc, tr: Y.Transaction, touched: Touched): void {
  const roots = new Map<unknown, keyof typeof MAP>();
  for (const name of Object.keys(MAP) as (keyof typeof MAP)[]) {
    const root = doc.share.get(MAP[name]);
    if (root) roots.set(root, name);
  }
  for (const [type, keys] of tr.changed) {
    const rootName = roots.get(type);
    if (rootName !== undefined) {
      for (const key of keys) if (key !== null) mark(touched, rootName, key, null);
      continue;
    }
    // Walk up to the child of a root: that child's key is the entity id; the level below names the field.
    let node = type;
    let fieldKey: string | null = null;
    let fieldKeys: Set<string | null> = keys;
    while (node._item !== null) {
      const parent = node._item.parent;
      if (!(parent instanceof Y.AbstractType)) break;
      const parentRoot = roots.get(parent);
      if (parentRoot !== undefined) {
        const id = node._item.parentSub;
        if (id !== null) mark(touched, parentRoot, id, fieldKey === null ? fieldKeys : new Set([fieldKey]));
        break;
      }
      fieldKey = node._item.parentSub;
      fieldKeys = new Set([fieldKey]);
      node = parent;
    }
  }
}

/** `fields` = the keys changed directly under the entity's map; null = the whole entity. */
function mark(touched: Touched, root: keyof typeof MAP, id: string, fields: Set<string | null> | null): void {
  switch (root) {
    case 'tasks': {
      const tagsOnly = fields !== null && [...fields].every((f) => f === 'tag_ids');
      // A task's links exist only while its row does, and the row's existence hangs on its status (an
      // update whose overwrite of `status` arrives before the new value leaves none, for a while).
      const tagsToo = fields === null || fields.has('tag_ids') || fields.has('status');
      if (!tagsOnly) touched.tasks.add(id);
      if (tagsToo) touched.taskTags.add(id);
      return;
    }
    case 'comments':
      touched.comments.add(id);
      return;
    case 'tags':
      touched.tags.add(id);
      return;
    case 'attachments':
      touched.attachments.add(id);
      return;
    case 'meta':
      return;
  }
}

function entityDelta<E, R>(ids: Set<string>, map: Y.Map<unknown>, parse: (id: string, v: unknown) => E | null, toRow: (e: E) => R): EntityDelta<R> {
  const delta: EntityDelta<R> = { upsert: [], remove: [] };
  for (const id of [...ids].sort()) {
    const entity = parse(id, map.get(id));
    if (entity) delta.upsert.push(toRow(entity));
    else delta.remove.push(id);
  }
  return delta;
}

function buildDelta(doc: Y.Doc, t: Touched): ProjectionDelta {
  const tasks = doc.getMap(MAP.tasks);
  return {
    tasks: entityDelta(t.tasks, tasks, (id, v) => parseTask(id, v, []), taskRow),
    comments: entityDelta(t.comments, doc.getMap(MAP.comments), (id, v) => parseComment(id, v, []), commentRow),
    tags: entityDelta(t.tags, doc.getMap(MAP.tags), (id, v) => parseTag(id, v, []), tagRow),
    taskTags: {
      set: [...t.taskTags].sort().map((task_id) => ({ task_id, tag_ids: parseTask(task_id, tasks.get(task_id), [])?.tag_ids ?? [] })),
    },
    attachments: entityDelta(t.attachments, doc.getMap(MAP.attachments), (id, v) => parseAttachment(id, v, []), attachmentRow),
  };
}

/** The rows one transaction changed. Call it from doc.on('afterTransaction'), or after the transaction. */
export function projectTransaction(doc: Y.Doc, tr: Y.Transaction): ProjectionDelta {
  const touched = emptyTouched();
  collect(doc, tr, touched);
  return buildDelta(doc, touched);
}

/** The rows changed by whatever transactions `apply` runs (typically one Y.applyUpdate). */
export function projectUpdate(doc: Y.Doc, apply: () => void): ProjectionDelta {
  const touched = emptyTouched();
  const onTransaction = (tr: Y.Transaction): void => collect(doc, tr, touched);
  doc.on('afterTransaction', onTransaction);
  try {
    apply();
  } finally {
    doc.off('afterTransaction', onTransaction);
  }
  return buildDelta(doc, touched);
}

export function isEmptyDelta(d: ProjectionDelta): boolean {
  return [d.tasks, d.comments, d.tags, d.attachments].every((e) => e.upsert.length === 0 && e.remove.length === 0) && d.taskTags.set.length === 0;
}

/** Applies a delta to a full projection (what a store does with its tables); returns new, id-ordered rows. */
export function applyDelta(rows: ProjectionRows, d: ProjectionDelta): ProjectionRows {
  const apply = <R extends { id: string }>(list: R[], e: EntityDelta<R>): R[] => {
    const byKey = new Map(list.map((r) => [r.id, r]));
    for (const id of e.remove) byKey.delete(id);
    for (const r of e.upsert) byKey.set(r.id, r);
    return [...byKey.values()].sort(byId);
  };
  const replaced = new Map(d.taskTags.set.map((s) => [s.task_id, s.tag_ids]));
  const taskTags = rows.taskTags.filter((r) => !replaced.has(r.task_id));
  for (const [task_id, tagIds] of replaced) for (const tag_id of tagIds) taskTags.push({ task_id, tag_id });
  taskTags.sort((a, b) => (a.task_id !== b.task_id ? (a.task_id < b.task_id ? -1 : 1) : a.tag_id < b.tag_id ? -1 : a.tag_id > b.tag_id ? 1 : 0));
  return {
    tasks: apply(rows.tasks, d.tasks),
    comments: apply(rows.comments, d.comments),
    tags: apply(rows.tags, d.tags),
    taskTags,
    attachments: apply(rows.attachments, d.attachments),
  };
}
