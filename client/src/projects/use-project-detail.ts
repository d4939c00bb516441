// GET /api/projects/:id (members, my role, counts), parsed at the edge and cached in memory and in the
// user's IndexedDB, so screens that need member names (assignee pickers, avatars) still have them after
// going offline, including on an app start without network. Sign-out deletes that database with the rest.
import { useCallback, useEffect, useState } from 'react';
import type { ProjectDetail } from '../../../shared/schemas/projects.ts';
import { apiFetch, ApiRequestError } from '../api/http.ts';
import { projectSchemas } from '../api/schemas.ts';
import { currentDb } from '../db/database.ts';
import { parseStoredDetail } from './stored-detail.ts';

const cache = new Map<string, ProjectDetail>();

export interface ProjectDetailState {
  detail: ProjectDetail | null;
  error: ApiRequestError | null;
  loading: boolean;
  reload: () => Promise<void>;
}

export function useProjectDetail(projectId: string): ProjectDetailState {
  const [detail, setDetail] = useState<ProjectDetail | null>(() => cache.get(projectId) ?? null);
  const [error, setError] = useState<ApiRequestError | null>(null);
  const [loading, setLoading] = useState(true);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const raw = await apiFetch<unknown>(`/api/projects/${encodeURIComponent(projectId)}`);
      const { ProjectDetailSchema } = await projectSchemas();
      const parsed = ProjectDetailSchema.safeParse(raw);
      if (!parsed.success) throw new ApiRequestError(200, 'BAD_RESPONSE', 'The server sent an unexpected project.');
      cache.set(projectId, parsed.data);
      setDetail(parsed.data);
      void currentDb()?.projectDetails.put({ id: projectId, detail: raw, savedAt: Date.now() }).catch(() => {});
      setError(null);
    } catch (caught) {
      setError(caught instanceof ApiRequestError ? caught : new ApiRequestError(0, 'NETWORK', 'Could not load the project.'));
    } finally {
      setLoading(false);
    }
  }, [projectId]);

  useEffect(() => {
    setDetail(cache.get(projectId) ?? null);
    if (!cache.has(projectId)) void loadStored(projectId).then((stored) => stored && !cache.has(projectId) && setDetail(stored));
    void reload();
    const onOnline = () => void reload();
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [projectId, reload]);

  return { detail, error, loading, reload };
}

/** The last stored answer for this project, if any and still well-formed. */
export async function loadStored(projectId: string): Promise<ProjectDetail | null> {
  try {
    const row = await currentDb()?.projectDetails.get(projectId);
    return row ? parseStoredDetail(row.detail) : null;
  } catch {
    return null;
  }
}

/** Member id -> display name, for avatars and pickers. */
export function memberNames(detail: ProjectDetail | null): Map<string, string> {
  return new Map((detail?.members ?? []).map((m) => [m.user_id, m.full_name || m.email]));
}
