// parseStoredDetail is held to ProjectDetailSchema's verdict (and output) on the valid detail and on every
// single-field mutation of it, so the hand-written start-up check cannot drift from the API's schema.
import { describe, expect, it } from 'vitest';
import { ProjectDetailSchema } from '../../../shared/schemas/projects.ts';
import { parseStoredDetail } from './stored-detail.ts';

const USER = '0f0e0d0c-5555-4666-8777-988888888888';
const valid = {
  id: '7a1b2c3d-1111-4222-8333-944444444444',
  name: 'Pump station',
  description: '',
  status: 'ACTIVE',
  color: '#1a2b3c',
  start_date: null,
  end_date: '2026-12-31',
  created_by: USER,
  created_at: '2026-11-01T10:00:00.000Z',
  updated_at: '2026-11-01T10:00:00.000Z',
  my_role: 'ADMIN',
  members: [
    { user_id: USER, email: 'rita@example.com', full_name: 'Rita Field', role: 'ADMIN', joined_at: '2026-11-01T10:00:00.000Z' },
    { user_id: '00000000-0000-0000-0000-000000000000', email: '', full_name: '', role: 'VIEWER', joined_at: 'x' },
  ],
  task_counts: { TODO: 1, IN_PROGRESS: 0, IN_REVIEW: 2, DONE: 3, ARCHIVED: 0 },
};

const wrongValues: unknown[] = [undefined, null, '', 'x', 0, 1.5, -1, 2 ** 53, Number.NaN, true, [], {}, 'ADMIN', 'admin', 'ACTIVE', USER, USER.toUpperCase(), 'ffffffff-ffff-ffff-ffff-ffffffffffff', '7a1b2c3d-1111-9222-8333-944444444444', '7a1b2c3d-1111-4222-c333-944444444444'];

function mutations(): { label: string; value: unknown }[] {
  const out: { label: string; value: unknown }[] = [{ label: 'valid', value: valid }, { label: 'extra field', value: { ...valid, secret: 1 } }];
  for (const key of Object.keys(valid)) {
    for (const w of wrongValues) {
      const copy: Record<string, unknown> = { ...valid, [key]: w };
      if (w === undefined) delete copy[key];
      out.push({ label: `${key}=${String(w)}`, value: copy });
    }
  }
  for (const key of Object.keys(valid.members[0]!)) {
    for (const w of wrongValues) out.push({ label: `members[0].${key}=${String(w)}`, value: { ...valid, members: [{ ...valid.members[0], [key]: w }] } });
  }
  for (const key of Object.keys(valid.task_counts)) {
    for (const w of wrongValues) out.push({ label: `task_counts.${key}=${String(w)}`, value: { ...valid, task_counts: { ...valid.task_counts, [key]: w } } });
  }
  out.push({ label: 'members not an array', value: { ...valid, members: { 0: valid.members[0] } } });
  out.push({ label: 'no members', value: { ...valid, members: [] } });
  out.push({ label: 'not an object', value: [valid] });
  return out;
}

describe('parseStoredDetail', () => {
  it('agrees with ProjectDetailSchema on the valid detail and every single-field mutation', () => {
    const cases = mutations();
    expect(cases.length).toBeGreaterThan(400);
    let accepted = 0;
    for (const { label, value } of cases) {
      const zod = ProjectDetailSchema.safeParse(value);
      const ours = parseStoredDetail(value);
      expect(ours !== null, label).toBe(zod.success);
      if (zod.success) {
        accepted++;
        expect(ours, label).toEqual(zod.data);
      }
    }
    // Both accept some mutations (another valid string, a nil UUID): the comparison is not all rejections.
    expect(accepted).toBeGreaterThan(20);
  });
});
