// Who may do what: the one table every check uses (REST, WebSocket, PWA controls).
// Roles are ordered ADMIN > MANAGER > MEMBER > VIEWER, but permissions are listed explicitly, not derived
// from the order, so a reader can check any cell of the table at a glance.

export const ROLES = ['ADMIN', 'MANAGER', 'MEMBER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  /** See the project, its board, members and activity. */
  'project.read',
  /** Create/edit/move/delete tasks, comments, tags, checklists, attachments (board content). */
  'board.write',
  /** Edit project settings (name, description, status, color, dates). */
  'project.update',
  /** Soft-delete the project. */
  'project.delete',
  /** Add, remove and re-role members (which roles: see MANAGEABLE_ROLES). */
  'members.manage',
  /** Delete or moderate other people's comments. */
  'comments.moderate',
] as const;
export type Action = (typeof ACTIONS)[number];

export const PERMISSIONS: Readonly<Record<Action, readonly Role[]>> = {
  'project.read': ['ADMIN', 'MANAGER', 'MEMBER', 'VIEWER'],
  'board.write': ['ADMIN', 'MANAGER', 'MEMBER'],
  'project.update': ['ADMIN', 'MANAGER'],
  'project.delete': ['ADMIN'],
  'members.manage': ['ADMIN', 'MANAGER'],
  'comments.moderate': ['ADMIN', 'MANAGER'],
};

/** Roles an actor may grant, change from, or remove. MANAGER handles MEMBERs and VIEWERs; ADMIN handles all. */
export const MANAGEABLE_ROLES: Readonly<Record<Role, readonly Role[]>> = {
  ADMIN: ['ADMIN', 'MANAGER', 'MEMBER', 'VIEWER'],
  MANAGER: ['MEMBER', 'VIEWER'],
  MEMBER: [],
  VIEWER: [],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role | null | undefined, action: Action): boolean {
  return role != null && PERMISSIONS[action].includes(role);
}

/**
 * May `actor` move a member from role `from` (null = not a member yet) to role `to` (null = remove)?
 * Both ends must be roles the actor manages. The last-ADMIN rule needs the member list and is checked where
 * that list is known (see projects/members).
 */
export function canChangeMember(actor: Role | null | undefined, from: Role | null, to: Role | null): boolean {
  if (!actor || !can(actor, 'members.manage')) return false;
  const manageable = MANAGEABLE_ROLES[actor];
  return (from === null || manageable.includes(from)) && (to === null || manageable.includes(to));
}
