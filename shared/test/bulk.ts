// Builds large documents fast for tests: writes the contract layout directly in one transaction
// (createTask would scan the column for every insert, which is quadratic for 10,000 tasks).
import * as Y from 'yjs';
import { keyBetween } from '../rank.ts';
import type { Rng } from './prng.ts';

export function bulkTasks(doc: Y.Doc, count: number, rng: Rng): string[] {
  const ids: string[] = [];
  let rank: string | null = null;
  doc.transact(() => {
    const tasks = doc.getMap('tasks');
    for (let i = 0; i < count; i++) {
      const id = rng.uuid();
      rank = keyBetween(rank, null);
      const m = new Y.Map<unknown>();
      tasks.set(id, m);
      m.set('status', 'TODO');
      m.set('rank', rank);
      m.set('completed_at', null);
      m.set('title', `task ${i}`);
      m.set('description', new Y.Text(`description ${i}`));
      m.set('priority', 'MEDIUM');
      for (const k of ['assignee_id', 'reporter_id', 'due_date', 'estimated_hours', 'actual_hours', 'deleted_at']) m.set(k, null);
      m.set('created_at', '2026-01-01T00:00:00.000Z');
      m.set('updated_at', '2026-01-01T00:00:00.000Z');
      m.set('tag_ids', new Y.Map());
      m.set('checklist', new Y.Array());
      ids.push(id);
    }
  });
  return ids;
}
