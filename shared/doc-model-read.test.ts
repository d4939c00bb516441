import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  addComment,
  createTask,
  DocModelError,
  initDoc,
  isNewerSchema,
  moveTask,
  readBoard,
  readCommentTree,
  readComments,
  readTask,
  readTasks,
  SCHEMA_VERSION,
  updateTask,
} from './doc-model.ts';
import { projectDoc } from './projection.ts';

const ID = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Writes a task the way a buggy or newer third-party client might. */
function foreignTask(doc: Y.Doc, id: string, fields: Record<string, unknown>): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  doc.getMap('tasks').set(id, m);
  for (const [k, v] of Object.entries(fields)) m.set(k, v);
  return m;
}

describe('tolerant reads', () => {
  it('[DM10] skips entries it cannot place and reports them, never throws', () => {
    const doc = new Y.Doc();
    const ok = createTask(doc, { title: 'ok' });
    doc.getMap('tasks').set(ID(1), 'a string, not a map');
    doc.getMap('tasks').set('not-a-uuid', new Y.Map());
    foreignTask(doc, ID(2).toUpperCase().replace('0000-4000', 'AAAA-4000'), { status: 'TODO', title: 'upper-case id' });
    foreignTask(doc, ID(3), { status: 'BLOCKED', title: 'status from a newer client' });
    const { tasks, problems } = readTasks(doc);
    expect(tasks.map((t) => t.id)).toEqual([ok]);
    expect(problems.map((p) => p.id).sort()).toEqual([ID(1), ID(2).toUpperCase().replace('0000-4000', 'AAAA-4000'), ID(3), 'not-a-uuid'].sort());
    expect(problems.every((p) => p.map === 'tasks' && p.reason.length > 0)).toBe(true);
    expect(readBoard(doc).TODO.map((t) => t.id)).toEqual([ok]);
    expect(readTask(doc, ID(3))).toBeNull();
    expect(projectDoc(doc).tasks.map((t) => t.id)).toEqual([ok]);
  });

  it('[DM10] reads malformed optional fields as deterministic defaults and reports each', () => {
    const doc = new Y.Doc();
    foreignTask(doc, ID(5), {
      status: 'IN_REVIEW',
      title: 42,
      description: 'plain string',
      priority: 'SUPER',
      assignee_id: 'bob',
      due_date: 'tomorrow',
      estimated_hours: -3,
      actual_hours: 'many',
      created_at: 'yesterday',
      checklist: ['junk'],
      tag_ids: 'not a map',
    });
    const { tasks, problems } = readTasks(doc);
    expect(tasks).toEqual([
      {
        id: ID(5),
        title: '',
        description: 'plain string',
        status: 'IN_REVIEW',
        priority: 'MEDIUM',
        assignee_id: null,
        reporter_id: null,
        due_date: null,
        estimated_hours: null,
        actual_hours: null,
        created_at: '1970-01-01T00:00:00.000Z',
        updated_at: '1970-01-01T00:00:00.000Z',
        completed_at: null,
        deleted_at: null,
        rank: '',
        tag_ids: [],
        checklist: [],
      },
    ]);
    const reported = problems.map((p) => p.reason.split(':')[0]);
    for (const field of ['title', 'description', 'priority', 'assignee_id', 'due_date', 'estimated_hours', 'actual_hours', 'created_at', 'checklist', 'rank']) {
      expect(reported).toContain(field);
    }
  });

  it('[DM10] unknown fields survive our writes', () => {
    const doc = new Y.Doc();
    const id = createTask(doc, { title: 'a' });
    (doc.getMap('tasks').get(id) as Y.Map<unknown>).set('story_points', 5);
    doc.getMap('meta').set('future_setting', { x: 1 });
    updateTask(doc, id, { title: 'b', status: 'DONE' });
    moveTask(doc, id, { status: 'TODO' });
    expect((doc.getMap('tasks').get(id) as Y.Map<unknown>).get('story_points')).toBe(5);
    expect(doc.getMap('meta').get('future_setting')).toEqual({ x: 1 });
    expect(readTask(doc, id)?.title).toBe('b');
  });

  it('[DM10] placement next to a malformed rank still works', () => {
    const doc = new Y.Doc();
    const a = createTask(doc, { title: 'a' });
    foreignTask(doc, ID(7), { status: 'TODO', title: 'bad rank', rank: 'not a rank!', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' });
    const b = createTask(doc, { title: 'b' });
    moveTask(doc, b, { status: 'TODO', after_id: ID(7) });
    expect(readBoard(doc).TODO.map((t) => t.title)).toContain('b');
    moveTask(doc, a, { status: 'TODO', before_id: ID(7) });
    expect(readBoard(doc).TODO).toHaveLength(3);
  });

  it('[DM7][DM10] comment cycles and orphans written by foreign clients still show every live comment', () => {
    const doc = new Y.Doc();
    const task = createTask(doc, { title: 't' });
    const raw = (id: string, parent: string | null): void => {
      const m = new Y.Map<unknown>();
      doc.getMap('comments').set(id, m);
      m.set('task_id', task);
      m.set('parent_id', parent);
      m.set('content', `c${id.slice(-1)}`);
      m.set('created_at', '2026-01-01T00:00:00.000Z');
    };
    raw(ID(1), ID(2));
    raw(ID(2), ID(1)); // a cycle
    raw(ID(3), ID(9)); // an orphan: its parent never arrived
    doc.getMap('comments').set(ID(4), 7);
    const tree = readCommentTree(doc, task);
    const flat = (nodes: typeof tree): string[] => nodes.flatMap((n) => [n.id, ...flat(n.replies)]);
    expect(flat(tree).sort()).toEqual([ID(1), ID(2), ID(3)]);
    expect(tree.map((n) => n.id)).toEqual([ID(1), ID(3)]); // the cycle is cut at its smallest id
    expect(readComments(doc).problems).toHaveLength(1);
    expect(() => addComment(doc, { task_id: task, parent_id: ID(2), content: 'ok', author_id: null })).not.toThrow();
  });
});

describe('schema version', () => {
  it('[DM13] the first write records schema_version even without initDoc, in the same transaction', () => {
    const doc = new Y.Doc();
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    createTask(doc, { title: 'a' });
    expect(doc.getMap('meta').get('schema_version')).toBe(SCHEMA_VERSION);
    expect(transactions).toBe(1);
  });

  it('[DM10] initDoc writes the version once; a newer document is readable but refuses writes', () => {
    const doc = new Y.Doc();
    initDoc(doc);
    expect(doc.getMap('meta').get('schema_version')).toBe(SCHEMA_VERSION);
    const id = createTask(doc, { title: 'a' });
    doc.getMap('meta').set('schema_version', SCHEMA_VERSION + 1);
    initDoc(doc);
    expect(doc.getMap('meta').get('schema_version')).toBe(SCHEMA_VERSION + 1);
    expect(isNewerSchema(doc)).toBe(true);
    expect(readTask(doc, id)?.title).toBe('a');
    let error: unknown;
    try {
      updateTask(doc, id, { title: 'b' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DocModelError);
    expect((error as DocModelError).code).toBe('INVALID');
    expect((error as Error).message).toMatch(/update the app/);
    expect(readTask(doc, id)?.title).toBe('a');
  });
});
