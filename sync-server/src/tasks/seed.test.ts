// The benchmark seeder: the rows it writes are valid projection rows the REST list reads and filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncHarness, type SyncHarness } from '../sync/test-sync-server.ts';
import type { TestUser } from '../test/fixtures.ts';
import { seedTasks } from './seed.ts';
import { apiClient } from './test-api.ts';

let h: SyncHarness;
let call: ReturnType<typeof apiClient>;
let user: TestUser, other: TestUser;
let projectId: string;
const N = 3000;

beforeAll(async () => {
  h = await startSyncHarness();
  call = apiClient(h);
  [user, other] = await Promise.all([h.user(), h.user()]);
  projectId = await h.project([[user, 'ADMIN'], [other, 'MEMBER']]);
  await seedTasks(h.db.sql, projectId, N, { userIds: [user.id, other.id], batch: 1000 });
});
afterAll(() => h.close());

describe('seedTasks', () => {
  it('writes N varied tasks that the REST list filters and pages like any others', async () => {
    const count = async (where: string) => {
      const res = await call('GET', `/api/projects/${projectId}/tasks?include_deleted=true&per_page=1&${where}`, { token: user.token });
      expect(res.status).toBe(200);
      return res.json.pagination.total as number;
    };
    expect(await count('')).toBe(N);
    const byStatus = await Promise.all(['TODO', 'IN_PROGRESS', 'IN_REVIEW', 'DONE', 'ARCHIVED'].map((s) => count(`status=${s}`)));
    expect(byStatus.reduce((a, b) => a + b, 0)).toBe(N);
    expect(Math.min(...byStatus)).toBeGreaterThan(N / 10);
    expect(await count(`assignee_id=${other.id}`)).toBeGreaterThan(0);
    expect(await count('assignee_id=none')).toBeGreaterThan(0);
    expect(await count('search=invoice')).toBeGreaterThan(0);
    const tags = (await call('GET', `/api/projects/${projectId}/tags`, { token: user.token })).json.data as { id: string }[];
    expect(tags).toHaveLength(10);
    expect(await count(`tag=${tags[0]!.id}`)).toBeGreaterThan(0);
    // Board order matches seeding order inside a column.
    const page = (await call('GET', `/api/projects/${projectId}/tasks?status=TODO&per_page=3`, { token: user.token })).json.data as { rank: string }[];
    expect(page.map((t) => t.rank)).toEqual([...page.map((t) => t.rank)].sort());
  });
});
