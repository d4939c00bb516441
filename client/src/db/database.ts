// The per-user IndexedDB database. One database per user ('fieldboard-<userId>') so signing out deletes
// exactly that user's data, and two users on one device never see each other's boards.
// Board content lives in the Yjs updates (docUpdates); every other table is derived or bookkeeping and can
// be rebuilt from the documents and the server.
import { Dexie, type EntityTable, type Table } from 'dexie';
import type { ProjectStatus, TaskPriority, TaskStatus } from '../../../shared/api.ts';
import type { Role } from '../../../shared/roles.ts';

/** One stored Yjs update (local or remote) or a compacted snapshot of earlier ones. */
export interface DocUpdateRow {
  seq?: number;
  projectId: string;
  update: Uint8Array;
  /** 1 for a compacted snapshot, 0 for a single update (IndexedDB cannot index booleans). */
  snapshot: 0 | 1;
  createdAt: number;
}

/**
 * A local change not yet acknowledged as durable by the server. `clock` is the exclusive end clock of
 * `clientId` after the change: the change is saved once the server's saved vector has
 * vector[clientId] >= clock. Delete-only changes do not advance any clock (Yjs delete sets are not part of
 * state vectors), so they carry `deleteOnly` and are resolved by a saved message that arrives after they
 * were sent (see sync/unsaved-tracker.ts).
 */
export interface PendingChange {
  id?: number;
  projectId: string;
  clientId: number;
  clock: number;
  deleteOnly: 0 | 1;
  /** Tab that made the change (delete-only changes are resolved by the tab that sent them). */
  tabId: string;
  createdAt: number;
}

/** Per project sync bookkeeping. */
export interface DocMeta {
  projectId: string;
  /** Last saved vector received from the server (Y.encodeStateVector format). */
  savedVector: Uint8Array | null;
  lastSavedAt: number | null;
  /** Yjs client ids this user's tabs have written with (to tell own remote echoes from others' changes). */
  ownClientIds: number[];
  /** True once the document has ever synced with the server. */
  everSynced: 0 | 1;
  /** Y.encodeSnapshot of the document when the task rows were last written (skip rebuilds when equal). */
  indexedSnapshot?: Uint8Array | null;
}

export interface ProjectRecord {
  id: string;
  name: string;
  description: string;
  status: ProjectStatus;
  color: string | null;
  start_date: string | null;
  end_date: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** My role in the project; ADMIN for one I created offline. */
  role: Role | null;
  /** 1 while created offline and not yet registered with POST /api/projects. */
  pending: 0 | 1;
  /** Why registration failed for good (conflict, validation); null while it may still succeed. */
  pending_error: string | null;
  task_counts: Partial<Record<TaskStatus, number>> | null;
}

/** A task as list views need it: derived from the project's document (shared/projection.ts). */
export interface TaskRecord {
  id: string;
  project_id: string;
  title: string;
  status: TaskStatus;
  priority: TaskPriority;
  assignee_id: string | null;
  due_date: string | null;
  tag_ids: string[];
  /** Lower-cased words of the title, for prefix search (`startsWithAnyOf`). */
  title_words: string[];
  updated_at: string;
  deleted: 0 | 1;
}

export interface ChangedTask {
  projectId: string;
  taskId: string;
  changedAt: number;
}

/** A file attached while offline (or still uploading): kept here until the server has it. */
export interface PendingUpload {
  /** The attachment id, already in the project's document. */
  id: string;
  projectId: string;
  taskId: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  blob: Blob;
  createdAt: number;
  /** Why the server refused it for good; null while it may still upload. */
  error: string | null;
}

/** The last GET /api/projects/:id answer (members, my role), so member names survive an offline start. */
export interface ProjectDetailRecord {
  id: string;
  /** As the server sent it; parsed with ProjectDetailSchema when read back. */
  detail: unknown;
  savedAt: number;
}

/**
 * The first cards of each column as the board last showed them (client/src/db/board-preview.ts), so a
 * large board paints before its document is read and applied. Derived, like every table but docUpdates.
 */
export interface BoardPreviewRow {
  projectId: string;
  /** Layout version of `data`; a row of another version is ignored. */
  version: number;
  /** The project's highest docUpdates seq when written: the row is used only while that is still the last row. */
  seq: number;
  data: unknown;
  savedAt: number;
}

export type FieldboardDb = Dexie & {
  docUpdates: EntityTable<DocUpdateRow, 'seq'>;
  pendingChanges: EntityTable<PendingChange, 'id'>;
  docMeta: EntityTable<DocMeta, 'projectId'>;
  projects: EntityTable<ProjectRecord, 'id'>;
  tasks: EntityTable<TaskRecord, 'id'>;
  changedTasks: Table<ChangedTask, [string, string]>;
  pendingUploads: EntityTable<PendingUpload, 'id'>;
  projectDetails: EntityTable<ProjectDetailRecord, 'id'>;
  boardPreviews: EntityTable<BoardPreviewRow, 'projectId'>;
};

export function dbName(userId: string): string {
  return `fieldboard-${userId}`;
}

export function createUserDb(userId: string): FieldboardDb {
  const db = new Dexie(dbName(userId)) as FieldboardDb;
  db.version(1).stores({
    docUpdates: '++seq, projectId',
    pendingChanges: '++id, projectId',
    docMeta: 'projectId',
    projects: 'id, pending, status, name',
    tasks: 'id, project_id, [project_id+status], assignee_id, due_date, *tag_ids, *title_words, [project_id+deleted]',
    changedTasks: '[projectId+taskId], projectId',
  });
  // v2: attachments waiting for upload (client/src/task/attachments-queue.ts).
  db.version(2).stores({ pendingUploads: 'id, taskId, createdAt' });
  // v3: cached project details (client/src/projects/use-project-detail.ts).
  db.version(3).stores({ projectDetails: 'id' });
  // v4: board previews for a fast first paint (client/src/db/board-preview.ts).
  db.version(4).stores({ boardPreviews: 'projectId' });
  return db;
}

let current: { userId: string; db: FieldboardDb } | null = null;

/** The signed-in user's database (opened lazily, one instance per tab). */
export function userDb(userId: string): FieldboardDb {
  if (current?.userId !== userId) {
    current?.db.close();
    current = { userId, db: createUserDb(userId) };
  }
  return current.db;
}

/** The current user's database, or null before sign-in. */
export function currentDb(): FieldboardDb | null {
  return current?.db ?? null;
}

/** Deletes a user's database (sign-out). Other tabs' connections are closed by Dexie's versionchange handling. */
export async function deleteUserDb(userId: string): Promise<void> {
  if (current?.userId === userId) {
    current.db.close();
    current = null;
  }
  await Dexie.delete(dbName(userId));
}
