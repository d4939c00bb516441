// The list's pages are JSON text built by PostgreSQL (TASK_JSON in task-queries.ts); GET /api/tasks/:id
// builds the same task with toTaskDto and JSON.stringify. Both must give the same bytes for every kind of
// value a row can hold, whatever the session's time zone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskListQuerySchema } from '../../../shared/schemas/tasks.ts';
import { connectPostgres, type Sql } from '../db/database.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { getTask, listTasks } from './task-queries.ts';

let db: TestDatabase;
let sql: Sql;
let projectId: string;
let userId: string;
const ids: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  // One connection in a zone with a 45-minute offset: timestamps must come out in UTC whatever the session says.
  sql = connectPostgres(db.url, 1);
  await sql`SET TIME ZONE 'Pacific/Chatham'`;
  expect((await sql<{ tz: string }[]>`SELECT current_setting('TimeZone') AS tz`)[0]!.tz).toBe('Pacific/Chatham');
  const [user] = await sql<{ id: string }[]>`
    INSERT INTO users (email, password_hash, full_name) VALUES (${`json-${randomUUID()}@example.com`}, '!', 'U') RETURNING id`;
  userId = user!.id;
  projectId = randomUUID();
  await sql`INSERT INTO projects (id, name, created_by) VALUES (${projectId}, 'Json', ${userId})`;
  await sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${projectId}, ${userId}, 'MEMBER')`;
  const [liveA, liveB, gone] = [randomUUID(), randomUUID(), randomUUID()];
  await sql`INSERT INTO tags (id, project_id, name, deleted_at) VALUES
    (${liveA}, ${projectId}, 'a', NULL), (${liveB}, ${projectId}, 'b', NULL), (${gone}, ${projectId}, 'gone', now())`;
  const rows: Record<string, unknown>[] = [
    {
      title: 'Quotes " and \\ back\nslash\ttab \u0001 ctrl \u2028 line, emoji 🚀, </script>',
      description: '',
      status: 'TODO', priority: 'URGENT', assignee_id: userId, reporter_id: userId,
      due_date: '2026-02-28', estimated_hours: 2.5, actual_hours: 0.1 + 0.2,
      checklist: [{ id: 'a', text: 'say "hi"', done: true }, { id: 'b', text: '', done: false }],
      created_at: '2026-01-01T00:00:00.999999Z', updated_at: '2026-11-28T05:10:05.2114Z',
      completed_at: '2026-03-04T10:11:12.5+05:30', deleted_at: null,
    },
    {
      title: 'Odd checklist', description: 'Ünïcödé description', status: 'IN_PROGRESS', priority: 'LOW',
      assignee_id: null, reporter_id: null, due_date: null, estimated_hours: 12345.678, actual_hours: 0,
      // Not written by the projection (it normalizes items), but possible in the column: read as toTaskDto does.
      checklist: [{ id: 7, text: null }, 'not an item', { text: 'no id', done: 'yes' }, { id: 'x', text: 'y', done: true, extra: 1 }],
      created_at: '1999-12-31T23:59:59Z', updated_at: '2000-01-01T00:00:00.001Z', completed_at: null, deleted_at: null,
    },
    {
      title: 'Deleted', description: 'd', status: 'ARCHIVED', priority: 'MEDIUM', assignee_id: null, reporter_id: userId,
      due_date: '2030-12-31', estimated_hours: 1e-3, actual_hours: null, checklist: { not: 'an array' },
      created_at: '2026-06-01T12:00:00Z', updated_at: '2026-06-02T12:00:00Z',
      completed_at: '2026-06-02T12:00:00Z', deleted_at: '2026-06-03T00:00:00.123456Z',
    },
  ];
  for (const [i, r] of rows.entries()) {
    const id = randomUUID();
    ids.push(id);
    await sql`
      INSERT INTO tasks (id, project_id, title, description, status, priority, assignee_id, reporter_id, due_date,
                         estimated_hours, actual_hours, rank, checklist, created_at, updated_at, completed_at, deleted_at)
      VALUES (${id}, ${projectId}, ${r.title as string}, ${r.description as string}, ${r.status as string}, ${r.priority as string},
              ${r.assignee_id as string | null}, ${r.reporter_id as string | null}, ${r.due_date as string | null},
              ${r.estimated_hours as number | null}, ${r.actual_hours as number | null}, ${`a${i}`}, ${sql.json(r.checklist as never)},
              ${r.created_at as string}, ${r.updated_at as string}, ${r.completed_at as string | null}, ${r.deleted_at as string | null})`;
  }
  await sql`INSERT INTO task_tags (project_id, task_id, tag_id) VALUES
    (${projectId}, ${ids[0]!}, ${liveB}), (${projectId}, ${ids[0]!}, ${liveA}), (${projectId}, ${ids[0]!}, ${gone}), (${projectId}, ${ids[2]!}, ${gone})`;
});
afterAll(async () => {
  await sql.end({ timeout: 5 });
  await db.close();
});

describe('list pages built by PostgreSQL', () => {
  it('are the bytes JSON.stringify gives for the DTOs of GET /api/tasks/:id, in the list order', async () => {
    const sorts = ['rank', '-rank', 'created_at', '-updated_at', 'due_date', 'priority'];
    for (const sort of sorts) {
      const result = await listTasks(sql, projectId, { userId }, TaskListQuerySchema.parse({ include_deleted: 'true', per_page: '100', sort }));
      const order = (JSON.parse(result.data) as { id: string }[]).map((t) => t.id);
      expect(new Set(order)).toEqual(new Set(ids));
      const dtos = await Promise.all(order.map((id) => getTask(sql, id)));
      expect({ sort, data: result.data }).toEqual({ sort, data: JSON.stringify(dtos) });
    }
  });

  it('read the values a JavaScript Date and toTaskDto would', async () => {
    const result = await listTasks(sql, projectId, { userId }, TaskListQuerySchema.parse({ include_deleted: 'true', per_page: '100' }));
    const byTitle = new Map((JSON.parse(result.data) as { title: string }[]).map((t) => [t.title.slice(0, 6), t]));
    expect(byTitle.get('Quotes')).toMatchObject({
      created_at: '2026-01-01T00:00:00.999Z',
      updated_at: '2026-11-28T05:10:05.211Z',
      completed_at: '2026-03-04T04:41:12.500Z',
      estimated_hours: 2.5,
      actual_hours: 0.1 + 0.2,
      checklist: [{ id: 'a', text: 'say "hi"', done: true }, { id: 'b', text: '', done: false }],
    });
    expect((byTitle.get('Quotes') as unknown as { tag_ids: string[] }).tag_ids).toHaveLength(2);
    expect(byTitle.get('Odd ch')).toMatchObject({
      checklist: [{ id: '7', text: '', done: false }, { id: '', text: '', done: false }, { id: '', text: 'no id', done: false }, { id: 'x', text: 'y', done: true }],
      assignee_id: null, due_date: null, completed_at: null, tag_ids: [],
    });
    expect(byTitle.get('Delete')).toMatchObject({ checklist: [], deleted_at: '2026-06-03T00:00:00.123Z', tag_ids: [], estimated_hours: 0.001 });
  });

  it('an empty page is []', async () => {
    const result = await listTasks(sql, projectId, { userId }, TaskListQuerySchema.parse({ search: 'nothing-like-this' }));
    expect(result.data).toBe('[]');
    expect(result.pagination.total).toBe(0);
  });
});
