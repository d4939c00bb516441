import type { Context, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import type { Pagination } from '../../../shared/api.ts';

type Envelope<T> = { success: true; data: T; pagination?: Pagination; message?: string };

/**
 * The success envelope. Every /api handler answers through this.
 * Generic in the status so @hono/zod-openapi handlers type-check against the route's declared responses.
 * NoInfer: without it TypeScript infers S from the handler's expected return type (every declared status).
 */
export function ok<T, S extends ContentfulStatusCode = 200>(
  c: Context,
  data: T,
  opts: { status?: S; pagination?: Pagination; message?: string } = {},
): Response & TypedResponse<JSONParsed<Envelope<T>>, NoInfer<S>, 'json'> {
  const body: Envelope<T> = { success: true, data };
  if (opts.pagination) body.pagination = opts.pagination;
  if (opts.message) body.message = opts.message;
  return c.json(body, (opts.status ?? 200) as S);
}

/**
 * ok() for a page whose `data` is JSON text already (built by PostgreSQL, see tasks/task-queries.ts): the
 * same bytes and headers c.json would send for the parsed value, without parsing and serializing it again.
 * Typed as the JSON envelope of `T`, so the route still type-checks against its declared response.
 */
export function okJsonPage<T>(c: Context, dataJson: string, pagination: Pagination): Response & TypedResponse<JSONParsed<Envelope<T>>, 200, 'json'> {
  const body = `{"success":true,"data":${dataJson},"pagination":${JSON.stringify(pagination)}}`;
  const res: Response = c.body(body, 200, { 'Content-Type': 'application/json' });
  return res as Response & TypedResponse<JSONParsed<Envelope<T>>, 200, 'json'>;
}

export function paginate(page: number, perPage: number, total: number): Pagination {
  return { page, per_page: perPage, total, pages: Math.max(1, Math.ceil(total / perPage)) };
}
