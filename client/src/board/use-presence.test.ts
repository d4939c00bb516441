import { describe, expect, it } from 'vitest';
import type { PresenceEntry } from '../sync/project-session.ts';
import { otherPeople, viewersByTask } from './use-presence.ts';

const entry = (clientId: number, id: string, name: string, openTaskId: string | null, isSelf = false): PresenceEntry => ({
  clientId,
  user: { id, name, color: '#000000' },
  openTaskId,
  isSelf,
});

describe('presence helpers', () => {
  const entries = [
    entry(1, 'me', 'Me', 't1', true),
    entry(2, 'me', 'Me', 't2'), // my other tab
    entry(3, 'ana', 'Ana', 't1'),
    entry(4, 'ana', 'Ana', 't1'), // Ana's second tab
    entry(5, 'bo', 'Bo', null),
  ];

  it('lists each other person once and never myself', () => {
    expect(otherPeople(entries, 'me').map((e) => e.user.name)).toEqual(['Ana', 'Bo']);
  });

  it('maps open tasks to the other people viewing them', () => {
    expect([...viewersByTask(entries, 'me')]).toEqual([['t1', ['Ana']]]);
  });
});
