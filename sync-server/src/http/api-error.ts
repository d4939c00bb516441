// The one error type of the REST boundary. Thrown anywhere below a route; turned into the envelope
// `{success:false, error:{code,message,details?}}` by the single handler in app.ts.
import { ERROR_STATUS, type ErrorCode } from '../../../shared/api.ts';

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: (typeof ERROR_STATUS)[ErrorCode];
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After for RATE_LIMITED. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what = 'Resource') => new ApiError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do that') => new ApiError('FORBIDDEN', message);
export const unauthorized = (message = 'Authentication required') => new ApiError('UNAUTHORIZED', message);
export const conflict = (message: string, details?: unknown) => new ApiError('CONFLICT', message, details);
export const badRequest = (message: string, details?: unknown) => new ApiError('VALIDATION_ERROR', message, details);
export const rateLimited = (retryAfterSeconds: number, message = 'Too many requests; try again later') =>
  new ApiError('RATE_LIMITED', message, { retry_after: retryAfterSeconds }, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
