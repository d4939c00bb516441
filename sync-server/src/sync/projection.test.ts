// After a random two-user session over stock clients (plus server-side writes through DocWriter), the
// PostgreSQL projections equal projectDoc of the document, and every activity row names the user who
// made that change (from the connection, never from document fields).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { TaskStatus } from '../../../shared/api.ts';
import {
  addAttachment,
  addChecklistItem,
  addComment,
  createTag,
  createTask,
  deleteComment,
  deleteTask,
  editComment,
  moveTask,
  readTags,
  readTasks,
  removeAttachment,
  renameTag,
  restoreTask,
  setTaskTags,
  updateTask,
} from '../../../shared/doc-model.ts';
import { projectDoc, type ProjectionRows } from '../../../shared/projection.ts';
import type { Sql } from '../db/database.ts';
import type { TestUser } from '../test/fixtures.ts';
import { connectProvider, startSyncHarness, waitFor, waitSynced, type SyncHarness } from './test-sync-server.ts';

let h: SyncHarness;
let alice: TestUser;
let bob: TestUser;
let projectId: string;

beforeAll(async () => {
  h = await startSyncHarness();
  [alice, bob] = await Promise.all([h.user(), h.user()]);
  projectId = await h.project([[alice, 'ADMIN'], [bob, 'MEMBER']]);
});
afterAll(() => h.close());

/** mulberry32: a seeded PRNG so a failing session can be replayed. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES: TaskStatus[] = ['TODO', 'IN_PROGRESS', 'IN_REVIEW', 'DONE'];
const ts = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

async function readProjection(sql: Sql, project: string): Promise<ProjectionRows> {
  const tasks = await sql.unsafe(
    `SELECT id::text, title, description, status, priority, assignee_id::text, reporter_id::text, due_date::text, estimated_hours, actual_hours, rank, checklist,
       ${ts('created_at')} AS created_at, ${ts('updated_at')} AS updated_at, ${ts('completed_at')} AS completed_at, ${ts('deleted_at')} AS deleted_at
     FROM tasks WHERE project_id = $1 ORDER BY id`,
    [project],
  );
  const comments = await sql.unsafe(
    `SELECT id::text, task_id::text, parent_comment_id::text, author_id::text, content, ${ts('created_at')} AS created_at, ${ts('edited_at')} AS edited_at,
       ${ts('updated_at')} AS updated_at, ${ts('deleted_at')} AS deleted_at FROM comments WHERE project_id = $1 ORDER BY id`,
    [project],
  );
  const tags = await sql.unsafe(
    `SELECT id::text, name, color, ${ts('created_at')} AS created_at, ${ts('updated_at')} AS updated_at, ${ts('deleted_at')} AS deleted_at FROM tags WHERE project_id = $1 ORDER BY id`,
    [project],
  );
  const taskTags = await sql.unsafe(`SELECT task_id::text, tag_id::text FROM task_tags WHERE project_id = $1 ORDER BY task_id, tag_id`, [project]);
  const attachments = await sql.unsafe(
    `SELECT id::text, task_id::text, name, size::float8 AS size, mime, sha256, uploaded_by::text, ${ts('created_at')} AS created_at, ${ts('updated_at')} AS updated_at, ${ts('deleted_at')} AS deleted_at
     FROM attachments WHERE project_id = $1 ORDER BY id`,
    [project],
  );
  return JSON.parse(JSON.stringify({ tasks, comments, tags, taskTags, attachments })) as ProjectionRows;
}

function sortRows(rows: ProjectionRows): ProjectionRows {
  const byId = <T extends { id: string }>(l: T[]) => [...l].sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    tasks: byId(rows.tasks),
    comments: byId(rows.comments),
    tags: byId(rows.tags),
    attachments: byId(rows.attachments),
    taskTags: [...rows.taskTags].sort((a, b) => (a.task_id + a.tag_id < b.task_id + b.tag_id ? -1 : 1)),
  };
}

describe('projections and activity', () => {
  it('after a random session, PostgreSQL rows equal projectDoc and activity names the acting user', async () => {
    const a = connectProvider(h.wsUrl, projectId, alice.token);
    const b = connectProvider(h.wsUrl, projectId, bob.token);
    await Promise.all([waitSynced(a.provider), waitSynced(b.provider)]);
    const rand = rng(20261127);
    const pick = <T>(l: T[]): T | undefined => l[Math.floor(rand() * l.length)];
    const actions: { user: string; action: string; id: string }[] = [];
    const users = [
      { user: alice, doc: a.doc },
      { user: bob, doc: b.doc },
    ];
    for (let step = 0; step < 120; step++) {
      const { user, doc } = users[step % 2]!;
      const tasks = readTasks(doc, { includeDeleted: true }).tasks;
      const live = tasks.filter((t) => !t.deleted_at);
      const r = rand();
      try {
        if (r < 0.2 || live.length === 0) {
          const id = createTask(doc, { title: `task ${step}`, status: pick(STATUSES)! }, { userId: user.id });
          actions.push({ user: user.id, action: 'task.created', id });
        } else if (r < 0.35) {
          const t = pick(live)!;
          moveTask(doc, t.id, { status: pick(STATUSES.filter((s) => s !== t.status))! });
          actions.push({ user: user.id, action: 'task.moved', id: t.id });
        } else if (r < 0.5) {
          const t = pick(live)!;
          updateTask(doc, t.id, { title: `renamed ${step}`, priority: pick(['LOW', 'HIGH', 'URGENT'] as const)! });
          if (rand() < 0.5) addChecklistItem(doc, t.id, `item ${step}`);
          actions.push({ user: user.id, action: 'task.updated', id: t.id });
        } else if (r < 0.57) {
          const t = pick(live)!;
          deleteTask(doc, t.id);
          actions.push({ user: user.id, action: 'task.deleted', id: t.id });
        } else if (r < 0.62) {
          const t = pick(tasks.filter((x) => x.deleted_at));
          if (t) {
            restoreTask(doc, t.id);
            actions.push({ user: user.id, action: 'task.restored', id: t.id });
          }
        } else if (r < 0.75) {
          const id = addComment(doc, { task_id: pick(live)!.id, content: `comment ${step}`, author_id: user.id });
          actions.push({ user: user.id, action: 'comment.created', id });
          if (rand() < 0.3) {
            editComment(doc, id, `edited ${step}`);
            actions.push({ user: user.id, action: 'comment.updated', id });
          }
          if (rand() < 0.2) {
            deleteComment(doc, id);
            actions.push({ user: user.id, action: 'comment.deleted', id });
          }
        } else if (r < 0.85) {
          const tags = readTags(doc);
          if (tags.length < 4) {
            const id = createTag(doc, { name: `tag ${step}`, color: '#123456' });
            actions.push({ user: user.id, action: 'tag.created', id });
          } else {
            const tag = pick(tags)!;
            renameTag(doc, tag.id, `tag renamed ${step}`);
            actions.push({ user: user.id, action: 'tag.updated', id: tag.id });
          }
        } else if (r < 0.93) {
          const tags = readTags(doc);
          const t = pick(live)!;
          if (tags.length) {
            setTaskTags(doc, t.id, tags.filter(() => rand() < 0.5).map((x) => x.id));
            actions.push({ user: user.id, action: 'task.updated', id: t.id });
          }
        } else {
          const t = pick(live)!;
          const id = addAttachment(doc, { id: crypto.randomUUID(), task_id: t.id, name: `file-${step}.txt`, size: step, mime: 'text/plain', sha256: null, uploaded_by: user.id });
          actions.push({ user: user.id, action: 'attachment.added', id });
          if (rand() < 0.3) {
            removeAttachment(doc, id);
            actions.push({ user: user.id, action: 'attachment.removed', id });
          }
        }
      } catch (error) {
        // A concurrent delete can make an operation invalid on this replica; the model refuses it cleanly.
        if (!(error instanceof Error) || error.name !== 'DocModelError') throw error;
      }
      if (step % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    // A server-side write as bob (the REST path).
    const serverTask = await h.deps.docs.transact(projectId, bob.id, (doc) => createTask(doc, { title: 'from REST', status: 'TODO' }));
    actions.push({ user: bob.id, action: 'task.created', id: serverTask });

    await waitFor(() => Y.encodeStateVector(a.doc).toString() === Y.encodeStateVector(b.doc).toString() && a.doc.getMap('tasks').has(serverTask), 5000, 'convergence');
    const room = h.registry.get(projectId)!;
    await waitFor(() => Y.encodeStateVector(room.doc).toString() === Y.encodeStateVector(a.doc).toString(), 5000, 'server has everything');
    await room.queue.whenIdle();

    const expected = sortRows(JSON.parse(JSON.stringify(projectDoc(room.doc))) as ProjectionRows);
    const actual = sortRows(await readProjection(h.deps.sql, projectId));
    expect(actual.tasks.length).toBeGreaterThan(5);
    expect(actual.comments.length).toBeGreaterThan(0);
    expect(actual.tags.length).toBeGreaterThan(0);
    expect(actual.taskTags.length).toBeGreaterThan(0);
    expect(actual.attachments.length).toBeGreaterThan(0);
    expect(actual.tasks.some((t) => t.checklist.length > 0)).toBe(true);
    if (process.env.DEBUG_PROJECTION) console.log(JSON.stringify({ counts: Object.fromEntries(Object.entries(actual).map(([k, v]) => [k, v.length])) }));
    expect(actual).toEqual(expected);

    const activity = await h.deps.sql<{ user_id: string; action: string; entity_id: string; changes: Record<string, unknown> }[]>`
      SELECT user_id::text, action, entity_id::text, changes FROM activity_log WHERE project_id = ${projectId}`;
    if (process.env.DEBUG_PROJECTION) console.log(JSON.stringify(activity.reduce<Record<string, number>>((m, r) => ({ ...m, [r.action]: (m[r.action] ?? 0) + 1 }), {})));
    // Every recorded creation is attributed to its creator, and every row names someone who acted on that entity.
    for (const act of actions.filter((x) => x.action.endsWith('.created') || x.action === 'attachment.added')) {
      const row = activity.find((r) => r.action === act.action && r.entity_id === act.id);
      expect(row, `${act.action} ${act.id}`).toBeDefined();
      expect(row!.user_id).toBe(act.user);
    }
    for (const row of activity) {
      expect([alice.id, bob.id]).toContain(row.user_id);
      if (row.action === 'task.moved') {
        expect(actions.some((x) => x.action === 'task.moved' && x.id === row.entity_id && x.user === row.user_id)).toBe(true);
        expect(Array.isArray(row.changes.status)).toBe(true);
      }
    }
    a.provider.destroy();
    b.provider.destroy();
  });
});
