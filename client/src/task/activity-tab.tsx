// The task's history from the server (GET /api/tasks/:id/activity). Needs the network: offline it says
// so instead of showing an empty or stale list.
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { ActivitySchema, type ActivityDto } from '../../../shared/schemas/tasks.ts';
import { apiFetch, ApiRequestError } from '../api/http.ts';
import type { MemberOption } from './task-details.tsx';

type State =
  | { kind: 'loading' }
  | { kind: 'offline' }
  | { kind: 'unavailable'; message: string }
  | { kind: 'ready'; items: ActivityDto[] };

const ActivityListSchema = z.array(ActivitySchema);

export function ActivityTab({ taskId, members }: { taskId: string; members: MemberOption[] }) {
  const [state, setState] = useState<State>(() => (navigator.onLine ? { kind: 'loading' } : { kind: 'offline' }));
  const [online, setOnline] = useState(() => navigator.onLine);

  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);

  useEffect(() => {
    if (!online) {
      setState({ kind: 'offline' });
      return;
    }
    const abort = new AbortController();
    setState({ kind: 'loading' });
    apiFetch<unknown>(`/api/tasks/${encodeURIComponent(taskId)}/activity?per_page=100`, { signal: abort.signal })
      .then((data) => {
        const parsed = ActivityListSchema.safeParse(data);
        setState(parsed.success ? { kind: 'ready', items: parsed.data } : { kind: 'unavailable', message: 'The server sent activity this app cannot read.' });
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        if (error instanceof ApiRequestError && error.code === 'NETWORK') setState({ kind: 'offline' });
        else if (error instanceof ApiRequestError && error.status === 404)
          setState({ kind: 'unavailable', message: 'No activity is available for this task yet. Changes made offline appear once they reach the server.' });
        else setState({ kind: 'unavailable', message: error instanceof Error ? error.message : 'Could not load the activity.' });
      });
    return () => abort.abort();
  }, [taskId, online]);

  const names = new Map(members.map((m) => [m.id, m.name]));
  switch (state.kind) {
    case 'loading':
      return <p role="status">Loading activity…</p>;
    case 'offline':
      return <p className="alert alert-info">Activity is available online. Connect to see who changed what.</p>;
    case 'unavailable':
      return <p className="alert alert-info">{state.message}</p>;
    case 'ready':
      return state.items.length === 0 ? (
        <p className="muted">No activity yet.</p>
      ) : (
        <ol className="activity-list">
          {state.items.map((item) => (
            <li key={item.id}>
              <strong>{item.user_id ? (names.get(item.user_id) ?? 'Former member') : 'System'}</strong> {describeAction(item)}
              <br />
              <time className="muted" dateTime={item.created_at}>
                {new Date(item.created_at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}
              </time>
            </li>
          ))}
        </ol>
      );
  }
}

export function describeAction(item: Pick<ActivityDto, 'action' | 'changes'>): string {
  const fields = Object.keys(item.changes);
  const verb: Record<string, string> = {
    'task.created': 'created the task',
    'task.updated': fields.length ? `changed ${fields.join(', ').replaceAll('_', ' ')}` : 'edited the task',
    'task.moved': 'moved the task',
    'task.deleted': 'deleted the task',
    'task.restored': 'restored the task',
    'comment.created': 'commented',
    'comment.updated': 'edited a comment',
    'comment.deleted': 'deleted a comment',
    'attachment.created': 'attached a file',
    'attachment.deleted': 'removed an attachment',
  };
  return verb[item.action] ?? item.action.replaceAll('.', ' ').replaceAll('_', ' ');
}
