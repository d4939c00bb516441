// The users table as the API shows it. password_hash never leaves this file's queries except for login.
import type { User } from '../../../shared/schemas/auth.ts';
import type { Sql } from '../db/database.ts';

export interface UserRow {
  id: string;
  email: string;
  full_name: string;
  avatar_url: string | null;
  is_instance_admin: boolean;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
}

/** Column list matching UserRow; interpolate with sql.unsafe-free helpers only (it is a constant). */
export const USER_COLUMNS = ['id', 'email', 'full_name', 'avatar_url', 'is_instance_admin', 'is_active', 'created_at', 'updated_at'] as const;

export function toUserJson(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    full_name: row.full_name,
    avatar_url: row.avatar_url,
    is_instance_admin: row.is_instance_admin,
    is_active: row.is_active,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export async function findUserById(sql: Sql, id: string): Promise<UserRow | null> {
  const [row] = await sql<UserRow[]>`SELECT ${sql(USER_COLUMNS)} FROM users WHERE id = ${id}`;
  return row ?? null;
}

export async function findUserForLogin(sql: Sql, email: string): Promise<(UserRow & { password_hash: string }) | null> {
  const [row] = await sql<(UserRow & { password_hash: string })[]>`
    SELECT ${sql(USER_COLUMNS)}, password_hash FROM users WHERE lower(email) = ${email}`;
  return row ?? null;
}
