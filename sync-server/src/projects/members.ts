// Adding, re-roling and removing project members. Every change runs in one transaction that first locks the
// project's member rows, so the actor's role, the target's role and the ADMIN count are read as of the lock:
// two ADMINs leaving (or demoting each other) at once cannot leave a project without an ADMIN.
import { canChangeMember, can, type Role } from '../../../shared/roles.ts';
import type { Member } from '../../../shared/schemas/projects.ts';
import { isUuid } from '../auth/authenticate.ts';
import type { TransactionSql } from 'postgres';
import type { Sql } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';

type Tx = TransactionSql;

interface LockedMembers {
  roles: Map<string, Role>;
  adminCount: number;
}

/** Locks the member rows of a live project; 404 when the project is gone or the actor is not a member. */
async function lockMembers(tx: Tx, projectId: string, actorId: string): Promise<LockedMembers & { actorRole: Role }> {
  if (!isUuid(projectId)) throw new ApiError('NOT_FOUND', 'Project not found');
  const rows = await tx<{ user_id: string; role: Role }[]>`
    SELECT pm.user_id, pm.role FROM project_members pm
    WHERE pm.project_id = ${projectId}
      AND EXISTS (SELECT 1 FROM projects p WHERE p.id = pm.project_id AND p.deleted_at IS NULL)
    ORDER BY pm.user_id
    FOR UPDATE OF pm`;
  const roles = new Map(rows.map((r) => [r.user_id, r.role]));
  const actorRole = roles.get(actorId);
  if (!actorRole) throw new ApiError('NOT_FOUND', 'Project not found');
  return { roles, actorRole, adminCount: rows.filter((r) => r.role === 'ADMIN').length };
}

function requireManage(actorRole: Role, from: Role | null, to: Role | null): void {
  if (!can(actorRole, 'members.manage')) {
    throw new ApiError('FORBIDDEN', `Your role (${actorRole}) cannot manage members; ask a project MANAGER or ADMIN`);
  }
  if (!canChangeMember(actorRole, from, to)) {
    throw new ApiError('FORBIDDEN', `A ${actorRole} can only add, change or remove MEMBERs and VIEWERs; ask a project ADMIN`);
  }
}

const lastAdmin = (what: string) =>
  new ApiError('CONFLICT', `${what}: a project must keep at least one ADMIN. Make another member ADMIN first.`);

async function memberRow(tx: Tx | Sql, projectId: string, userId: string): Promise<Member> {
  const [row] = await tx<{ user_id: string; email: string; full_name: string; role: Role; joined_at: Date }[]>`
    SELECT pm.user_id, u.email, u.full_name, pm.role, pm.created_at AS joined_at
    FROM project_members pm JOIN users u ON u.id = pm.user_id
    WHERE pm.project_id = ${projectId} AND pm.user_id = ${userId}`;
  if (!row) throw new Error(`member ${userId} of ${projectId} vanished inside its own transaction`);
  return { ...row, joined_at: row.joined_at.toISOString() };
}

export type MemberTarget = { email: string } | { user_id: string };

export async function addMember(sql: Sql, projectId: string, actorId: string, target: MemberTarget, role: Role): Promise<Member> {
  return sql.begin(async (tx) => {
    const locked = await lockMembers(tx, projectId, actorId);
    requireManage(locked.actorRole, null, role);
    // Only active accounts can be added; the message does not say whether an inactive one exists.
    const [user] =
      'email' in target
        ? await tx<{ id: string }[]>`SELECT id FROM users WHERE lower(email) = lower(${target.email}) AND is_active`
        : isUuid(target.user_id)
          ? await tx<{ id: string }[]>`SELECT id FROM users WHERE id = ${target.user_id} AND is_active`
          : [];
    if (!user) {
      const who = 'email' in target ? `with email ${target.email}` : `with id ${target.user_id}`;
      throw new ApiError('NOT_FOUND', `No user ${who}; they need to register before they can be added`);
    }
    if (locked.roles.has(user.id)) throw new ApiError('CONFLICT', 'That user is already a member of this project', { role: locked.roles.get(user.id) });
    // A concurrent add of the same user is not blocked by the row locks; the unique key turns it into 409.
    const inserted = await tx`
      INSERT INTO project_members (project_id, user_id, role, added_by) VALUES (${projectId}, ${user.id}, ${role}, ${actorId})
      ON CONFLICT (project_id, user_id) DO NOTHING RETURNING id`;
    if (inserted.length === 0) throw new ApiError('CONFLICT', 'That user is already a member of this project');
    return memberRow(tx, projectId, user.id);
  });
}

export async function changeMemberRole(sql: Sql, projectId: string, actorId: string, userId: string, role: Role): Promise<{ member: Member; changed: boolean }> {
  return sql.begin(async (tx) => {
    const locked = await lockMembers(tx, projectId, actorId);
    const current = isUuid(userId) ? locked.roles.get(userId) : undefined;
    if (!current) {
      // Non-managers learn nothing about who is (not) a member beyond what the member list already shows them.
      requireManage(locked.actorRole, null, null);
      throw new ApiError('NOT_FOUND', 'That user is not a member of this project');
    }
    requireManage(locked.actorRole, current, role);
    if (current === role) return { member: await memberRow(tx, projectId, userId), changed: false };
    if (current === 'ADMIN' && locked.adminCount <= 1) throw lastAdmin('The last ADMIN cannot be demoted');
    await tx`UPDATE project_members SET role = ${role}, updated_at = now() WHERE project_id = ${projectId} AND user_id = ${userId}`;
    return { member: await memberRow(tx, projectId, userId), changed: true };
  });
}

/** Removes a member; anyone may remove themselves (leave), except the last ADMIN. */
export async function removeMember(sql: Sql, projectId: string, actorId: string, userId: string): Promise<void> {
  await sql.begin(async (tx) => {
    const locked = await lockMembers(tx, projectId, actorId);
    const current = isUuid(userId) ? locked.roles.get(userId) : undefined;
    const leaving = userId === actorId;
    if (!current) {
      requireManage(locked.actorRole, null, null);
      throw new ApiError('NOT_FOUND', 'That user is not a member of this project');
    }
    if (!leaving) requireManage(locked.actorRole, current, null);
    if (current === 'ADMIN' && locked.adminCount <= 1) {
      throw lastAdmin(leaving ? 'You are the last ADMIN and cannot leave' : 'The last ADMIN cannot be removed');
    }
    await tx`DELETE FROM project_members WHERE project_id = ${projectId} AND user_id = ${userId}`;
  });
}
