// task_counts (migration 0004) must equal a GROUP BY over tasks after every kind of write the server and
// the seeder make, and the list's totals (summed from it when the filters allow) and the project detail's
// counts by status (always summed from it) must equal a plain count; totals and pages the list remembers
// (task_list_versions, 0005 and 0006) must follow every change.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskListQuerySchema } from '../../../shared/schemas/tasks.ts';
import { taskCounts } from '../projects/project-queries.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { seedTasks } from './seed.ts';
import { getTask, listTasks } from './task-queries.ts';

let db: TestDatabase;
const users: string[] = [];
let projectA: string, projectB: string;

async function newProject(members: string[]): Promise<string> {
  const id = randomUUID();
  await db.sql`INSERT INTO projects (id, name, created_by) VALUES (${id}, 'Counts', ${users[0]!})`;
  for (const user of members) await db.sql`INSERT INTO project_members (project_id, user_id, role) VALUES (${id}, ${user}, 'MEMBER')`;
  return id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  for (let i = 0; i < 3; i++) {
    const [u] = await db.sql<{ id: string }[]>`
      INSERT INTO users (email, password_hash, full_name) VALUES (${`counts-${i}-${randomUUID()}@example.com`}, '!', 'U') RETURNING id`;
    users.push(u!.id);
  }
  projectA = await newProject(users);
  projectB = await newProject(users.slice(0, 1));
  await seedTasks(db.sql, projectA, 600, { userIds: users, batch: 250 });
  await seedTasks(db.sql, projectB, 100, { userIds: users.slice(0, 1) });
});
afterAll(() => db.close());

/** Maintained counts and recounted ones, both without empty groups, in one order. */
async function countsVersusRecount() {
  const kept = await db.sql`
    SELECT project_id, deleted, status, priority, assignee_id, n::int AS n FROM task_counts WHERE n <> 0
    ORDER BY project_id, deleted, status, priority, assignee_id NULLS FIRST`;
  const real = await db.sql`
    SELECT project_id, deleted_at IS NOT NULL AS deleted, status, priority, assignee_id, count(*)::int AS n FROM tasks
    GROUP BY 1, 2, 3, 4, 5 ORDER BY project_id, deleted, status, priority, assignee_id NULLS FIRST`;
  return { kept: [...kept], real: [...real] };
}
async function expectExact() {
  const { kept, real } = await countsVersusRecount();
  expect(real.length).toBeGreaterThan(0);
  expect(kept).toEqual(real);
}

describe('task_counts stays exact', () => {
  it('after bulk inserts (the seeder, statement trigger)', expectExact);

  it('after upserts shaped like the projection writer (inserts and updates in one statement)', async () => {
    const [existing] = await db.sql<{ id: string }[]>`SELECT id FROM tasks WHERE project_id = ${projectA} AND deleted_at IS NULL AND status = 'TODO' LIMIT 1`;
    const [foreign] = await db.sql<{ id: string }[]>`SELECT id FROM tasks WHERE project_id = ${projectB} LIMIT 1`;
    const rows = [
      { id: existing!.id, project_id: projectA, title: 'moved', status: 'DONE', priority: 'URGENT', assignee_id: null },
      { id: randomUUID(), project_id: projectA, title: 'new', status: 'IN_REVIEW', priority: 'LOW', assignee_id: users[2]! },
      // Another project's id: the writer's WHERE leaves that row alone, and so must the counts.
      { id: foreign!.id, project_id: projectA, title: 'hijack', status: 'ARCHIVED', priority: 'LOW', assignee_id: null },
    ];
    await db.sql`
      INSERT INTO tasks ${db.sql(rows, 'id', 'project_id', 'title', 'status', 'priority', 'assignee_id')}
      ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, status = EXCLUDED.status, priority = EXCLUDED.priority,
        assignee_id = EXCLUDED.assignee_id
      WHERE tasks.project_id = EXCLUDED.project_id`;
    await expectExact();
  });

  it('after moves, reassignments, soft deletes and restores; not touched by title edits', async () => {
    await db.sql`UPDATE tasks SET status = 'IN_PROGRESS' WHERE project_id = ${projectA} AND status = 'TODO' AND priority = 'HIGH'`;
    await db.sql`UPDATE tasks SET assignee_id = NULL WHERE project_id = ${projectA} AND assignee_id = ${users[1]!} AND status = 'DONE'`;
    await db.sql`UPDATE tasks SET assignee_id = ${users[1]!} WHERE project_id = ${projectA} AND assignee_id IS NULL AND status = 'IN_REVIEW'`;
    await db.sql`UPDATE tasks SET deleted_at = now() WHERE project_id = ${projectA} AND priority = 'LOW' AND deleted_at IS NULL AND status = 'TODO'`;
    await db.sql`UPDATE tasks SET deleted_at = NULL WHERE project_id = ${projectA} AND deleted_at IS NOT NULL AND status = 'ARCHIVED'`;
    await db.sql`UPDATE tasks SET deleted_at = now() WHERE project_id = ${projectA} AND deleted_at IS NOT NULL`; // deleted stays deleted
    const before = await countsVersusRecount();
    await db.sql`UPDATE tasks SET title = title || '!', rank = rank || 'x', due_date = NULL WHERE project_id = ${projectA}`;
    expect((await countsVersusRecount()).kept).toEqual(before.kept);
    await expectExact();
  });

  it('after hard deletes, a full replace, and a project deleted with its tasks', async () => {
    await db.sql`DELETE FROM tasks WHERE project_id = ${projectA} AND status = 'IN_REVIEW' AND priority = 'MEDIUM'`;
    await expectExact();
    // The writer's repair path: every row of the project deleted, then written again.
    await db.sql.begin(async (tx) => {
      const rows = await tx`DELETE FROM tasks WHERE project_id = ${projectB} RETURNING *`;
      await tx`INSERT INTO tasks ${tx(rows.map((r) => ({ ...r })), 'id', 'project_id', 'title', 'status', 'priority', 'assignee_id', 'rank', 'deleted_at')}`;
    });
    await expectExact();
    await db.sql`DELETE FROM projects WHERE id = ${projectB}`;
    expect(await db.sql`SELECT 1 FROM task_counts WHERE project_id = ${projectB}`).toHaveLength(0);
    await expectExact();
    projectB = await newProject(users.slice(0, 1));
    await seedTasks(db.sql, projectB, 50, { userIds: users.slice(0, 1) });
    await expectExact();
  });
});

describe('the project detail\'s counts by status (summed from task_counts)', () => {
  it('equal a plain count after the writes above, every status present', async () => {
    for (const projectId of [projectA, projectB, await newProject(users)]) {
      const rows = await db.sql<{ status: string; n: number }[]>`
        SELECT status, count(*)::int AS n FROM tasks WHERE project_id = ${projectId} AND deleted_at IS NULL GROUP BY status`;
      const expected = { TODO: 0, IN_PROGRESS: 0, IN_REVIEW: 0, DONE: 0, ARCHIVED: 0, ...Object.fromEntries(rows.map((r) => [r.status, r.n])) };
      expect(await taskCounts(db.sql, projectId)).toEqual(expected);
    }
    // Deleted tasks are not counted, and a group emptied by moves (its row stays, with n = 0) reads 0.
    const project = await newProject(users);
    await seedTasks(db.sql, project, 100, { userIds: users });
    await db.sql`UPDATE tasks SET status = 'DONE' WHERE project_id = ${project} AND status = 'ARCHIVED'`;
    await db.sql`UPDATE tasks SET deleted_at = now() WHERE project_id = ${project} AND status = 'IN_REVIEW'`;
    const counts = await taskCounts(db.sql, project);
    expect({ archived: counts.ARCHIVED, inReview: counts.IN_REVIEW }).toEqual({ archived: 0, inReview: 0 });
    const [done] = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM tasks WHERE project_id = ${project} AND deleted_at IS NULL AND status = 'DONE'`;
    expect(counts.DONE).toBe(done!.n);
    expect(counts.DONE).toBeGreaterThan(0);
  });
});

describe('list totals', () => {
  // Every combination the fast path (task_counts) answers, against count(*) over the same rows.
  const statusSets = [undefined, 'TODO', 'IN_PROGRESS,DONE', 'TODO,IN_PROGRESS,IN_REVIEW', 'ARCHIVED'];
  const prioritySets = [undefined, 'URGENT', 'HIGH,URGENT', 'LOW,HIGH'];
  const deletedModes = [undefined, 'true', 'only'];

  it('equal a plain count for every status x priority x assignee x deleted filter', async () => {
    const assignees = [undefined, 'none', users[1]!, randomUUID()];
    let checked = 0;
    for (const status of statusSets) {
      for (const priority of prioritySets) {
        for (const assignee of assignees) {
          for (const deleted of deletedModes) {
            const raw = Object.fromEntries(
              Object.entries({ status, priority, assignee_id: assignee, include_deleted: deleted, per_page: '7', page: '2' }).filter(([, v]) => v !== undefined),
            );
            const q = TaskListQuerySchema.parse(raw);
            const result = await listTasks(db.sql, projectA, { userId: users[0]! }, q);
            const [expected] = await db.sql<{ n: number }[]>`
              SELECT count(*)::int AS n FROM tasks WHERE project_id = ${projectA}
                AND (${deleted === 'true'} OR (deleted_at IS NOT NULL) = ${deleted === 'only'})
                AND (${status ?? null}::text IS NULL OR status = ANY(string_to_array(${status ?? ''}, ',')))
                AND (${priority ?? null}::text IS NULL OR priority = ANY(string_to_array(${priority ?? ''}, ',')))
                AND (${assignee ?? null}::text IS NULL OR (${assignee === 'none'} AND assignee_id IS NULL)
                     OR assignee_id::text = ${assignee ?? ''})`;
            expect({ raw, total: result.pagination.total }).toEqual({ raw, total: expected!.n });
            expect(JSON.parse(result.data)).toHaveLength(Math.max(0, Math.min(7, expected!.n - 7)));
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(statusSets.length * prioritySets.length * 4 * deletedModes.length);
  });

  it('counts rows when a filter has no maintained count (search, dates, reporter)', async () => {
    const q = TaskListQuerySchema.parse({ search: 'deploy', status: 'TODO,IN_PROGRESS,DONE', due_after: '2026-01-05', reporter_id: users[0]! });
    // Project B: the edits above cleared project A's due dates.
    const result = await listTasks(db.sql, projectB, { userId: users[0]! }, q);
    const [expected] = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM tasks WHERE project_id = ${projectB} AND deleted_at IS NULL AND status IN ('TODO', 'IN_PROGRESS', 'DONE')
        AND due_date >= '2026-01-05' AND reporter_id = ${users[0]!}
        AND to_tsvector('simple', title || ' ' || description) @@ to_tsquery('simple', 'deploy:*')`;
    expect(expected!.n).toBeGreaterThan(0);
    expect(result.pagination.total).toBe(expected!.n);
  });

  it('search pages equal a plain query, whether the page walks the board or sorts the matches', async () => {
    // 'task' matches every task (the page walks the board index); 'alpha' one in six and 'zzz' none (the
    // matches are sorted, or nothing is read); deep pages and pages past the end too.
    const cases = [
      { search: 'task', page: '1', per_page: '5' },
      { search: 'task', page: '30', per_page: '20', sort: '-updated_at' },
      { search: 'alpha', page: '1', per_page: '5' },
      { search: 'alpha', page: '3', per_page: '10', sort: 'priority' },
      { search: 'alpha', page: '40', per_page: '10' },
      { search: 'alpha review', page: '1', per_page: '20', status: 'TODO,DONE' },
      { search: 'zzz', page: '1', per_page: '20' },
    ];
    for (const c of cases) {
      const q = TaskListQuerySchema.parse(c);
      const result = await listTasks(db.sql, projectA, { userId: users[0]! }, q);
      const words = c.search.split(' ').map((w) => `${w}:*`).join(' & ');
      const statuses = c.status?.split(',') ?? ['TODO', 'IN_PROGRESS', 'IN_REVIEW', 'DONE', 'ARCHIVED'];
      const expected = await db.sql<{ id: string }[]>`
        SELECT id FROM tasks WHERE project_id = ${projectA} AND deleted_at IS NULL AND status = ANY(${statuses})
          AND to_tsvector('simple', title || ' ' || description) @@ to_tsquery('simple', ${words})
        ORDER BY ${c.sort === '-updated_at' ? db.sql`updated_at DESC, id DESC` : c.sort === 'priority'
          ? db.sql`CASE priority WHEN 'LOW' THEN 0 WHEN 'MEDIUM' THEN 1 WHEN 'HIGH' THEN 2 ELSE 3 END, id`
          : db.sql`CASE status WHEN 'TODO' THEN 0 WHEN 'IN_PROGRESS' THEN 1 WHEN 'IN_REVIEW' THEN 2 WHEN 'DONE' THEN 3 ELSE 4 END, rank COLLATE "C", id`}`;
      const from = (q.page - 1) * q.per_page;
      expect({ c, total: result.pagination.total, ids: (JSON.parse(result.data) as { id: string }[]).map((t) => t.id) }).toEqual({
        c,
        total: expected.length,
        ids: expected.slice(from, from + q.per_page).map((r) => r.id),
      });
    }
  });

  it('reads nothing for a non-member: role null, no tasks, total 0', async () => {
    const result = await listTasks(db.sql, projectA, { userId: users[1]! }, TaskListQuerySchema.parse({}));
    expect(result.role).toBe('MEMBER');
    const stranger = await listTasks(db.sql, projectA, { userId: randomUUID() }, TaskListQuerySchema.parse({}));
    expect(stranger).toEqual({ live: true, role: null, data: '[]', pagination: { page: 1, per_page: 20, total: 0, pages: 1 } });
    const malformed = await listTasks(db.sql, 'not-a-uuid', { userId: users[0]! }, TaskListQuerySchema.parse({}));
    expect(malformed.role).toBeNull();
  });
});

describe('remembered totals (task_list_versions, migration 0005)', () => {
  const search = TaskListQuerySchema.parse({ search: 'budget', per_page: '5' });
  const total = async () => (await listTasks(db.sql, projectB, { userId: users[0]! }, search)).pagination.total;
  const recount = async () => {
    const [row] = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM tasks WHERE project_id = ${projectB} AND deleted_at IS NULL
        AND to_tsvector('simple', title || ' ' || description) @@ to_tsquery('simple', 'budget:*')`;
    return row!.n;
  };
  const version = async (projectId: string) =>
    (await db.sql<{ version: string }[]>`SELECT version FROM task_list_versions WHERE project_id = ${projectId}`)[0]?.version;
  const oneTask = async (where: 'matching' | 'other') => {
    const [row] = await db.sql<{ id: string }[]>`
      SELECT id FROM tasks WHERE project_id = ${projectB} AND deleted_at IS NULL
        AND (to_tsvector('simple', title || ' ' || description) @@ to_tsquery('simple', 'budget:*')) = ${where === 'matching'}
      ORDER BY id LIMIT 1`;
    return row!.id;
  };

  it('follow every kind of change of the project\'s tasks', async () => {
    const steps: [string, () => Promise<unknown>][] = [
      ['insert', () => db.sql`INSERT INTO tasks (id, project_id, title, status, priority) VALUES (${randomUUID()}, ${projectB}, 'budget extra', 'TODO', 'LOW')`],
      ['title edit', async () => db.sql`UPDATE tasks SET title = 'budget now' WHERE id = ${await oneTask('other')}`],
      ['description edit', async () => db.sql`UPDATE tasks SET title = 'x', description = 'nothing' WHERE id = ${await oneTask('matching')}`],
      ['soft delete', async () => db.sql`UPDATE tasks SET deleted_at = now() WHERE id = ${await oneTask('matching')}`],
      ['delete', async () => db.sql`DELETE FROM tasks WHERE id = ${await oneTask('matching')}`],
      ['projection-writer upsert', async () => db.sql`
        INSERT INTO tasks (id, project_id, title, status, priority) VALUES (${await oneTask('other')}, ${projectB}, 'budget again', 'TODO', 'LOW')
        ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title WHERE tasks.project_id = EXCLUDED.project_id`],
    ];
    expect(await total()).toBe(await recount());
    for (const [name, change] of steps) {
      const before = await recount();
      expect({ name, total: await total() }).toEqual({ name, total: before }); // remembered
      const versionBefore = await version(projectB);
      await change();
      expect({ name, changed: (await recount()) !== before }).toEqual({ name, changed: true });
      expect({ name, total: await total() }).toEqual({ name, total: await recount() });
      expect(await version(projectB)).not.toBe(versionBefore);
    }
  });

  it('are read from memory while the version holds, and only for that project', async () => {
    const counted = await total();
    const otherVersion = await version(projectA);
    // A write with triggers off (replication role) leaves the version as it was: the list answers what it
    // remembered, which shows it does not count again. Real writes always run the triggers.
    const conn = await db.sql.reserve();
    try {
      await conn`SET session_replication_role = replica`;
      await conn`INSERT INTO tasks (id, project_id, title, status, priority) VALUES (${randomUUID()}, ${projectB}, 'budget hidden', 'TODO', 'LOW')`;
      await conn`SET session_replication_role = DEFAULT`;
    } finally {
      conn.release();
    }
    expect(await recount()).toBe(counted + 1);
    expect(await total()).toBe(counted);
    // Changing another project leaves this one's version (and memory) alone.
    await db.sql`UPDATE tasks SET title = title || ' budget' WHERE id = (SELECT id FROM tasks WHERE project_id = ${projectA} LIMIT 1)`;
    expect(await version(projectA)).not.toBe(otherVersion);
    expect(await total()).toBe(counted);
    // The next real change of this project recounts, including the row written without triggers.
    await db.sql`UPDATE tasks SET title = 'budget seen' WHERE id = ${await oneTask('other')}`;
    expect(await total()).toBe(await recount());
  });
});

describe('remembered pages (task_list_versions with tags, migration 0006)', () => {
  // Every task of project B fits one page: the page's membership is then a set to compare with a query.
  const all = TaskListQuerySchema.parse({ per_page: '100' });
  const page = async (q: typeof all) => JSON.parse((await listTasks(db.sql, projectB, { userId: users[0]! }, q)).data) as { id: string }[];
  const byTagName = (name: string) => TaskListQuerySchema.parse({ tag: name, per_page: '100' });
  let tagId: string, taskId: string, otherTaskId: string;

  /** The page equals the tasks as read now: each item as GET /api/tasks/:id gives it, the set as a query. */
  async function expectCurrent(step: string, tagName: string) {
    const items = await page(all);
    const fresh = await Promise.all(items.map((t) => getTask(db.sql, t.id)));
    expect({ step, items }).toEqual({ step, items: fresh });
    const live = await db.sql<{ id: string }[]>`SELECT id FROM tasks WHERE project_id = ${projectB} AND deleted_at IS NULL`;
    expect({ step, ids: items.map((t) => t.id).sort() }).toEqual({ step, ids: live.map((r) => r.id).sort() });
    const tagged = await db.sql<{ id: string }[]>`
      SELECT tt.task_id AS id FROM task_tags tt JOIN tags g ON g.id = tt.tag_id AND g.deleted_at IS NULL JOIN tasks t ON t.id = tt.task_id
      WHERE g.project_id = ${projectB} AND lower(g.name) = lower(${tagName}) AND t.deleted_at IS NULL`;
    expect({ step, tagged: (await page(byTagName(tagName))).map((t) => t.id).sort() }).toEqual({ step, tagged: tagged.map((r) => r.id).sort() });
    // A tag filter's total is counted, and remembered per version like a search's (page 2 shares it).
    const secondPage = await listTasks(db.sql, projectB, { userId: users[0]! }, TaskListQuerySchema.parse({ tag: tagName, per_page: '1', page: '2' }));
    expect({ step, total: secondPage.pagination.total }).toEqual({ step, total: tagged.length });
  }

  beforeAll(async () => {
    tagId = randomUUID();
    await db.sql`INSERT INTO tags (id, project_id, name) VALUES (${tagId}, ${projectB}, 'Paging')`;
    const [a, b] = await db.sql<{ id: string }[]>`SELECT id FROM tasks WHERE project_id = ${projectB} AND deleted_at IS NULL ORDER BY id LIMIT 2`;
    taskId = a!.id;
    otherTaskId = b!.id;
  });

  it('follow changes of tasks, task tags and tags', async () => {
    let tagName = 'Paging';
    const steps: [string, () => Promise<unknown>][] = [
      ['title edit', () => db.sql`UPDATE tasks SET title = 'retitled for paging' WHERE id = ${taskId}`],
      ['tag attached', () => db.sql`INSERT INTO task_tags (project_id, task_id, tag_id) VALUES (${projectB}, ${taskId}, ${tagId})`],
      ['second task tagged', () => db.sql`INSERT INTO task_tags (project_id, task_id, tag_id) VALUES (${projectB}, ${otherTaskId}, ${tagId})`],
      ['tag soft-deleted', () => db.sql`UPDATE tags SET deleted_at = now() WHERE id = ${tagId}`],
      ['tag restored', () => db.sql`UPDATE tags SET deleted_at = NULL WHERE id = ${tagId}`],
      ['tag renamed', async () => {
        await db.sql`UPDATE tags SET name = 'Paged' WHERE id = ${tagId}`;
        tagName = 'Paged';
      }],
      ['tag detached', () => db.sql`DELETE FROM task_tags WHERE task_id = ${taskId} AND tag_id = ${tagId}`],
      ['tag deleted', () => db.sql`DELETE FROM tags WHERE id = ${tagId}`],
      ['task soft-deleted', () => db.sql`UPDATE tasks SET deleted_at = now() WHERE id = ${otherTaskId}`],
    ];
    await expectCurrent('before', tagName);
    for (const [step, change] of steps) {
      // Each step changes what one of the two pages shows (the tag page by the name it had before the step).
      const nameBefore = tagName;
      const before = JSON.stringify(await page(all)) + JSON.stringify(await page(byTagName(nameBefore)));
      await change();
      await expectCurrent(step, tagName);
      const after = JSON.stringify(await page(all)) + JSON.stringify(await page(byTagName(nameBefore)));
      expect({ step, changed: after !== before }).toEqual({ step, changed: true });
    }
  });

  it('are read from memory while the version holds', async () => {
    const remembered = await page(all);
    // Written with triggers off (replication role): the version stays, so the list answers what it remembered.
    const conn = await db.sql.reserve();
    try {
      await conn`SET session_replication_role = replica`;
      await conn`UPDATE tasks SET title = 'changed behind the version' WHERE id = ${taskId}`;
      await conn`SET session_replication_role = DEFAULT`;
    } finally {
      conn.release();
    }
    expect(await page(all)).toEqual(remembered);
    // A page never asked for before is read from the table.
    const other = await page(TaskListQuerySchema.parse({ per_page: '99' }));
    expect(other.find((t) => t.id === taskId)).toMatchObject({ title: 'changed behind the version' });
    // The next real change of the project's tasks makes the remembered page stale.
    await db.sql`UPDATE tasks SET priority = 'HIGH' WHERE id = ${taskId}`;
    expect((await page(all)).find((t) => t.id === taskId)).toMatchObject({ title: 'changed behind the version', priority: 'HIGH' });
  });

  it('answer nothing to a non-member, remembered or not', async () => {
    await page(all); // remembered for a member
    const outsider = await listTasks(db.sql, projectB, { userId: users[2]! }, all);
    expect(outsider).toMatchObject({ live: true, role: null, data: '[]' });
  });
});

describe('TRUNCATE tasks', () => {
  // Last: it empties the table the tests above read.
  it('empties task_counts too', async () => {
    const versions = await db.sql`SELECT project_id, version FROM task_list_versions ORDER BY project_id`;
    await db.sql`TRUNCATE tasks`;
    expect(await db.sql`SELECT 1 FROM task_counts`).toHaveLength(0);
    // Every project's list version changes too (remembered totals are recounted).
    const after = await db.sql`SELECT project_id, version FROM task_list_versions ORDER BY project_id`;
    expect(after.map((r) => r.project_id)).toEqual(versions.map((r) => r.project_id));
    after.forEach((r, i) => expect(r.version).not.toBe(versions[i]!.version));
    await seedTasks(db.sql, projectA, 20, { userIds: users });
    await expectExact();
  });
});
