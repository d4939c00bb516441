import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { ApiError } from './api-error.ts';
import type { AppEnv } from './context.ts';

export function zodDetails(error: ZodError) {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || null, message: issue.message, code: issue.code }));
}

/** Validation failures of any route's schema become 400 VALIDATION_ERROR with field-level details. */
export const validationHook = (result: { success: boolean; error?: unknown; target?: string }) => {
  if (!result.success) {
    const details = zodDetails(result.error as ZodError);
    const where = result.target === 'query' ? 'query string' : result.target === 'param' ? 'path' : 'request body';
    throw new ApiError(
      'VALIDATION_ERROR',
      `Invalid ${where}: ${details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; ')}`,
      details,
    );
  }
};

/** Every route module builds its router with this, so validation errors look the same everywhere. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
