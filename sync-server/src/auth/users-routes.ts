// /api/users: instance administration. Deactivating a user revokes every session of theirs at once, and the
// 'user-deactivated' event lets the sync side close their open sockets.
import { createMiddleware } from 'hono/factory';
import { conflict, forbidden, notFound } from '../http/api-error.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { ok, paginate } from '../http/respond.ts';
import { newRouter } from '../http/router.ts';
import { isUuid } from './authenticate.ts';
import { requireAuth } from './middleware.ts';
import { listUsersRoute, updateUserRoute } from './route-specs.ts';
import { revokeAllSessions } from './sessions.ts';
import { toUserJson, USER_COLUMNS, type UserRow } from './user-record.ts';

const requireInstanceAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get('user').is_instance_admin) throw forbidden('Only instance admins can manage users');
  await next();
});

/** LIKE wildcards in user input match literally. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export function userRoutes(deps: AppDeps) {
  const router = newRouter();
  const { sql } = deps;
  const now = () => deps.now?.() ?? Date.now();

  router.use('*', requireAuth(deps), requireInstanceAdmin);

  router.openapi(listUsersRoute, async (c) => {
    const { search, page, per_page } = c.req.valid('query');
    const pattern = search ? `%${escapeLike(search.toLowerCase())}%` : null;
    const where = pattern
      ? sql`WHERE lower(email) LIKE ${pattern} OR lower(full_name) LIKE ${pattern}`
      : sql``;
    const [count] = await sql<{ total: number }[]>`SELECT count(*)::int AS total FROM users ${where}`;
    const total = count?.total ?? 0;
    const rows = await sql<UserRow[]>`
      SELECT ${sql(USER_COLUMNS)} FROM users ${where}
      ORDER BY lower(email), id LIMIT ${per_page} OFFSET ${(page - 1) * per_page}`;
    return ok(c, rows.map(toUserJson), { pagination: paginate(page, per_page, total) });
  });

  router.openapi(updateUserRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { is_active } = c.req.valid('json');
    if (!isUuid(id)) throw notFound('User');
    // Keeps at least one active admin (the caller) and avoids locking oneself out by accident.
    if (!is_active && id === c.get('user').id) throw conflict('You cannot deactivate your own account');
    const nowMs = now();
    const at = new Date(nowMs);
    const [row] = await sql<UserRow[]>`
      UPDATE users SET
        is_active = ${is_active},
        deactivated_at = CASE WHEN ${is_active} THEN NULL ELSE coalesce(deactivated_at, ${at}) END,
        updated_at = ${at}
      WHERE id = ${id}
      RETURNING ${sql(USER_COLUMNS)}`;
    if (!row) throw notFound('User');
    if (!is_active) {
      const families = await revokeAllSessions(sql, id, 'deactivated', nowMs);
      deps.events.emit('user-deactivated', { userId: id });
      deps.logger.info({ userId: id, by: c.get('user').id, sessions: families.length }, 'user deactivated');
    }
    return ok(c, toUserJson(row));
  });

  return router;
}
