import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, getDescription, moveTask } from '../../../shared/doc-model.ts';
import { DESCRIPTION_ACTIVITY_WINDOW_MS } from './activity-diff.ts';
import { createRoomEffects } from './room-effects.ts';

function tracked() {
  const doc = new Y.Doc();
  const effects = createRoomEffects(doc);
  const log: { action: string; userId: string | null; changes: Record<string, unknown> }[] = [];
  let user: string | null = null;
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    for (const a of effects.onTransaction(tr, user).activity ?? []) log.push(a);
  });
  return { doc, log, as: (u: string) => (user = u) };
}

describe('activity from transactions', () => {
  it('records create and move with old -> new, attributed to the acting user', () => {
    const t = tracked();
    const alice = randomUUID();
    const bob = randomUUID();
    t.as(alice);
    const id = createTask(t.doc, { title: 'Write tests', status: 'TODO' });
    t.as(bob);
    moveTask(t.doc, id, { status: 'DONE' });
    expect(t.log.map((a) => [a.action, a.userId])).toEqual([['task.created', alice], ['task.moved', bob]]);
    // Every change is an [old, new] pair, creations included.
    expect(t.log[0]!.changes).toEqual({ title: [null, 'Write tests'], status: [null, 'TODO'] });
    expect(t.log[1]!.changes).toEqual({ status: ['TODO', 'DONE'] });
  });

  it('logs live description typing once per user and task per window, not per keystroke', () => {
    const t = tracked();
    const alice = randomUUID();
    const bob = randomUUID();
    t.as(alice);
    const id = createTask(t.doc, { title: 'Typing', status: 'TODO' });
    const text = getDescription(t.doc, id)!;
    for (const ch of 'hello') text.insert(text.length, ch);
    t.as(bob);
    text.insert(0, '> ');
    const edits = t.log.filter((a) => a.action === 'task.updated');
    expect(edits.map((a) => a.userId)).toEqual([alice, bob]);
    expect(DESCRIPTION_ACTIVITY_WINDOW_MS).toBeGreaterThan(0);
  });
});
