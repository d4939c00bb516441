import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Pagination } from '../../../shared/api.ts';

/** The success envelope. Every /api handler answers through this. */
export function ok<T>(c: Context, data: T, opts: { status?: ContentfulStatusCode; pagination?: Pagination; message?: string } = {}) {
  const body: { success: true; data: T; pagination?: Pagination; message?: string } = { success: true, data };
  if (opts.pagination) body.pagination = opts.pagination;
  if (opts.message) body.message = opts.message;
  return c.json(body, opts.status ?? 200);
}

export function paginate(page: number, perPage: number, total: number): Pagination {
  return { page, per_page: perPage, total, pages: Math.max(1, Math.ceil(total / perPage)) };
}
