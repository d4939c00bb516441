// Projects and members through the REST API, mirrored into IndexedDB so the project list works offline.
// A project created offline gets its id here (crypto.randomUUID), is usable at once (its document can be
// edited before the server knows it) and is registered with POST /api/projects {id, ...} when the network
// returns; the server treats the same id from the same user as the same project, so retries are safe.
import type { z } from 'zod';
import * as Y from 'yjs';
import { initDoc } from '../../../shared/doc-model.ts';
import type { AddMemberInput, CreateProjectInput, Member, Project, UpdateProjectInput } from '../../../shared/schemas/projects.ts';
import type { Role } from '../../../shared/roles.ts';
import { ApiRequestError, apiFetch, apiFetchPage } from '../api/http.ts';
import { projectSchemas } from '../api/schemas.ts';
import { currentDb, type FieldboardDb, type ProjectRecord } from '../db/database.ts';
import { appendUpdate } from '../db/update-store.ts';

function db(): FieldboardDb {
  const d = currentDb();
  if (!d) throw new ApiRequestError(401, 'UNAUTHORIZED', 'Please sign in again.');
  return d;
}

function toRecord(p: Project, previous?: ProjectRecord): ProjectRecord {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    status: p.status,
    color: p.color,
    start_date: p.start_date,
    end_date: p.end_date,
    created_by: p.created_by,
    created_at: p.created_at,
    updated_at: p.updated_at,
    role: p.my_role,
    pending: 0,
    pending_error: null,
    task_counts: previous?.task_counts ?? null,
  };
}

async function parseProject(raw: unknown): Promise<Project> {
  const { ProjectSchema } = await projectSchemas();
  const parsed = ProjectSchema.safeParse(raw);
  if (!parsed.success) throw new ApiRequestError(200, 'BAD_RESPONSE', 'The server sent an unexpected project.');
  return parsed.data;
}

function validationError(error: z.ZodError): ApiRequestError {
  const details = error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
  return new ApiRequestError(400, 'VALIDATION_ERROR', error.issues[0]?.message ?? 'Some fields are not valid.', details);
}

/**
 * Creates a project locally at once (works offline) and registers it with the server in the background.
 * Throws ApiRequestError VALIDATION_ERROR for bad input (same rules as the server).
 */
export async function createProject(input: Omit<CreateProjectInput, 'id'>, userId: string): Promise<ProjectRecord> {
  const { CreateProjectSchema } = await projectSchemas();
  const parsed = CreateProjectSchema.safeParse({ ...input, id: crypto.randomUUID() });
  if (!parsed.success) throw validationError(parsed.error);
  const p = parsed.data;
  const now = new Date().toISOString();
  const record: ProjectRecord = {
    id: p.id!,
    name: p.name,
    description: p.description ?? '',
    status: p.status ?? 'ACTIVE',
    color: p.color ?? null,
    start_date: p.start_date ?? null,
    end_date: p.end_date ?? null,
    created_by: userId,
    created_at: now,
    updated_at: now,
    role: 'ADMIN',
    pending: 1,
    pending_error: null,
    task_counts: null,
  };
  // The document starts with its schema version, written under a throwaway client id; the pending row
  // makes the project count as unsaved until the server has it.
  const doc = new Y.Doc();
  initDoc(doc);
  const d = db();
  await d.projects.put(record);
  await appendUpdate(d, record.id, Y.encodeStateAsUpdate(doc));
  doc.destroy();
  void registerPendingProjects().catch(() => {});
  return record;
}

let registering: Promise<{ registered: number; failed: number }> | null = null;

/** Registers every offline-created project with the server. Stops at the first network failure. */
export function registerPendingProjects(): Promise<{ registered: number; failed: number }> {
  if (registering) return registering;
  registering = (async () => {
    const d = currentDb();
    if (!d) return { registered: 0, failed: 0 };
    let registered = 0;
    let failed = 0;
    const pending = (await d.projects.where('pending').equals(1).toArray()).filter((p) => !p.pending_error);
    for (const p of pending) {
      try {
        const raw = await apiFetch<unknown>('/api/projects', {
          method: 'POST',
          body: {
            id: p.id,
            name: p.name,
            description: p.description,
            status: p.status,
            color: p.color,
            start_date: p.start_date,
            end_date: p.end_date,
          },
        });
        const current = await d.projects.get(p.id);
        await d.projects.put(toRecord(await parseProject(raw), current));
        registered++;
      } catch (error) {
        if (error instanceof ApiRequestError && (error.isNetwork || error.status >= 500 || error.status === 401 || error.status === 429)) break;
        // A conflict (the id belongs to someone else) or invalid data will not fix itself: say so.
        const message = error instanceof ApiRequestError ? error.message : 'The server refused this project.';
        await d.projects.update(p.id, { pending_error: message });
        failed++;
      }
    }
    return { registered, failed };
  })().finally(() => {
    registering = null;
  });
  return registering;
}

/** Replaces the cached list with the server's (all pages). Offline-created projects are kept. */
export async function refreshProjects(): Promise<ProjectRecord[]> {
  const d = db();
  const all: Project[] = [];
  for (let page = 1; page <= 100; page++) {
    const { data, pagination } = await apiFetchPage<unknown>(`/api/projects?per_page=100&page=${page}`);
    for (const raw of data) all.push(await parseProject(raw));
    if (!pagination || page >= pagination.pages) break;
  }
  return d.transaction('rw', d.projects, async () => {
    const existing = new Map((await d.projects.toArray()).map((p) => [p.id, p]));
    const records = all.map((p) => toRecord(p, existing.get(p.id)));
    const onServer = new Set(records.map((r) => r.id));
    const gone = [...existing.values()].filter((p) => p.pending === 0 && !onServer.has(p.id)).map((p) => p.id);
    await d.projects.bulkDelete(gone);
    await d.projects.bulkPut(records);
    return records;
  });
}

/** Re-reads one project (my role may have changed). A 404 means no access any more: drop it locally. */
export async function refreshProject(projectId: string): Promise<ProjectRecord | null> {
  const d = db();
  try {
    const raw = await apiFetch<unknown>(`/api/projects/${encodeURIComponent(projectId)}`);
    const record = toRecord(await parseProject(raw), await d.projects.get(projectId));
    await d.projects.put(record);
    return record;
  } catch (error) {
    if (error instanceof ApiRequestError && error.code === 'NOT_FOUND') {
      const local = await d.projects.get(projectId);
      if (local && local.pending === 0) await d.projects.delete(projectId);
      return null;
    }
    throw error;
  }
}

export async function updateProject(projectId: string, patch: UpdateProjectInput): Promise<ProjectRecord> {
  const { UpdateProjectSchema } = await projectSchemas();
  const parsed = UpdateProjectSchema.safeParse(patch);
  if (!parsed.success) throw validationError(parsed.error);
  const d = db();
  const local = await d.projects.get(projectId);
  if (local?.pending === 1) {
    // Not on the server yet: edit the pending registration instead.
    const next = { ...local, ...parsed.data, updated_at: new Date().toISOString(), pending_error: null } as ProjectRecord;
    await d.projects.put(next);
    void registerPendingProjects().catch(() => {});
    return next;
  }
  const raw = await apiFetch<unknown>(`/api/projects/${encodeURIComponent(projectId)}`, { method: 'PATCH', body: parsed.data });
  const record = toRecord(await parseProject(raw), local);
  await d.projects.put(record);
  return record;
}

export async function deleteProject(projectId: string): Promise<void> {
  const d = db();
  const local = await d.projects.get(projectId);
  if (local?.pending !== 1) await apiFetch(`/api/projects/${encodeURIComponent(projectId)}`, { method: 'DELETE' });
  await d.transaction('rw', [d.projects, d.docUpdates, d.pendingChanges, d.docMeta, d.tasks, d.changedTasks], async () => {
    await d.projects.delete(projectId);
    await d.docUpdates.where('projectId').equals(projectId).delete();
    await d.pendingChanges.where('projectId').equals(projectId).delete();
    await d.docMeta.delete(projectId);
    await d.tasks.where('project_id').equals(projectId).delete();
    await d.changedTasks.where('projectId').equals(projectId).delete();
  });
}

async function parseMembers(raw: unknown): Promise<Member[]> {
  const { MemberSchema } = await projectSchemas();
  const parsed = MemberSchema.array().safeParse(raw);
  if (!parsed.success) throw new ApiRequestError(200, 'BAD_RESPONSE', 'The server sent an unexpected member list.');
  return parsed.data;
}

const membersPath = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/members`;

export async function listMembers(projectId: string): Promise<Member[]> {
  return parseMembers(await apiFetch<unknown>(membersPath(projectId)));
}

export async function addMember(projectId: string, input: AddMemberInput): Promise<Member> {
  const raw = await apiFetch<unknown>(membersPath(projectId), { method: 'POST', body: input });
  return (await parseMembers([raw]))[0]!;
}

export async function changeRole(projectId: string, userId: string, role: Role): Promise<Member> {
  const raw = await apiFetch<unknown>(`${membersPath(projectId)}/${encodeURIComponent(userId)}`, { method: 'PATCH', body: { role } });
  return (await parseMembers([raw]))[0]!;
}

export async function removeMember(projectId: string, userId: string): Promise<void> {
  await apiFetch(`${membersPath(projectId)}/${encodeURIComponent(userId)}`, { method: 'DELETE' });
}

/** After sign-in and whenever the network returns: register offline projects, then refresh the list. */
export async function syncProjects(): Promise<void> {
  await registerPendingProjects();
  await refreshProjects();
}
