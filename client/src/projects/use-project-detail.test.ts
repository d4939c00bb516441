// Member names must survive an app start without network: the last project detail is kept in the user's
// IndexedDB and read back (validated) when memory has nothing.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteUserDb, userDb } from '../db/database.ts';
import { loadStored, memberNames } from './use-project-detail.ts';

const PROJECT = '7a1b2c3d-1111-4222-8333-944444444444';
const USER = '0f0e0d0c-5555-4666-8777-988888888888';
const detail = {
  id: PROJECT,
  name: 'Pump station',
  description: '',
  status: 'ACTIVE',
  color: null,
  start_date: null,
  end_date: null,
  created_by: USER,
  created_at: '2026-11-01T10:00:00.000Z',
  updated_at: '2026-11-01T10:00:00.000Z',
  my_role: 'ADMIN',
  members: [{ user_id: USER, email: 'rita@example.com', full_name: 'Rita Field', role: 'ADMIN', joined_at: '2026-11-01T10:00:00.000Z' }],
  task_counts: { TODO: 1, IN_PROGRESS: 0, IN_REVIEW: 0, DONE: 0, ARCHIVED: 0 },
};

afterEach(() => deleteUserDb(USER));

describe('stored project detail', () => {
  it('reads back the stored detail, so member names are known offline', async () => {
    await userDb(USER).projectDetails.put({ id: PROJECT, detail, savedAt: Date.now() });
    const stored = await loadStored(PROJECT);
    expect(memberNames(stored).get(USER)).toBe('Rita Field');
  });

  it('ignores a malformed or missing record instead of crashing', async () => {
    expect(await loadStored(PROJECT)).toBeNull();
    await userDb(USER).projectDetails.put({ id: PROJECT, detail: { ...detail, members: 'nope' }, savedAt: Date.now() });
    expect(await loadStored(PROJECT)).toBeNull();
  });

  it('is gone after sign-out deletes the user database', async () => {
    await userDb(USER).projectDetails.put({ id: PROJECT, detail, savedAt: Date.now() });
    await deleteUserDb(USER);
    expect(await loadStored(PROJECT)).toBeNull();
  });
});
