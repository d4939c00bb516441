// The one way the client talks to the REST API. Every response uses the envelope of shared/api.ts; this
// module unwraps it and turns every failure (network, HTTP error, malformed body) into an ApiRequestError
// with a code from a closed set and a message fit to show a user, so screens never render raw errors.
import type { ErrorCode, Pagination } from '../../../shared/api.ts';

export type ClientErrorCode = ErrorCode | 'NETWORK' | 'BAD_RESPONSE';

export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: ClientErrorCode;
  readonly details: unknown;
  constructor(status: number, code: ClientErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
  /** True when the request never reached the server (offline, DNS, connection refused). */
  get isNetwork(): boolean {
    return this.code === 'NETWORK';
  }
}

/**
 * How http.ts obtains bearer tokens without importing the session (which itself uses this module).
 * `refresh` is called once after a 401 and returns a new token, or null when the user must sign in again.
 */
export interface TokenSource {
  getToken(): Promise<string | null>;
  refresh(rejected: string | null): Promise<string | null>;
}

let tokenSource: TokenSource | null = null;
export function setTokenSource(source: TokenSource | null): void {
  tokenSource = source;
}

const FRIENDLY: Record<ClientErrorCode, string> = {
  VALIDATION_ERROR: 'Some fields are not valid.',
  UNAUTHORIZED: 'Please sign in again.',
  FORBIDDEN: 'You do not have permission to do that.',
  NOT_FOUND: 'Not found, or you no longer have access.',
  CONFLICT: 'That conflicts with existing data.',
  PAYLOAD_TOO_LARGE: 'That is too large.',
  RATE_LIMITED: 'Too many attempts. Please wait a moment and try again.',
  INTERNAL: 'The server had a problem. Please try again.',
  NETWORK: 'You appear to be offline. Please check your connection.',
  BAD_RESPONSE: 'The server sent an unexpected answer. Please try again.',
};
const KNOWN_CODES = new Set(Object.keys(FRIENDLY));

export interface ApiInit extends Omit<RequestInit, 'body'> {
  /** JSON-serialised when not a FormData/Blob/string. */
  body?: unknown;
  /** Skip the bearer token (auth endpoints). */
  anonymous?: boolean;
}

interface Envelope {
  success: boolean;
  data?: unknown;
  pagination?: Pagination;
  message?: string;
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && typeof (value as { success?: unknown }).success === 'boolean';
}

function errorFromEnvelope(status: number, body: unknown): ApiRequestError {
  if (isEnvelope(body) && body.error) {
    const raw = body.error.code;
    const code = typeof raw === 'string' && KNOWN_CODES.has(raw) ? (raw as ClientErrorCode) : statusCode(status);
    // Server messages are written for users (see the REST conventions); fall back to ours if absent.
    const message = typeof body.error.message === 'string' && body.error.message ? body.error.message : FRIENDLY[code];
    return new ApiRequestError(status, code, message, body.error.details);
  }
  const code = statusCode(status);
  return new ApiRequestError(status, code, FRIENDLY[code]);
}

function statusCode(status: number): ClientErrorCode {
  if (status === 400) return 'VALIDATION_ERROR';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'INTERNAL';
  return 'BAD_RESPONSE';
}

function buildRequest(init: ApiInit, token: string | null): RequestInit {
  const { body, anonymous: _anonymous, headers, ...rest } = init;
  const h = new Headers(headers);
  h.set('Accept', 'application/json');
  let payload: BodyInit | undefined;
  if (body instanceof FormData || body instanceof Blob || typeof body === 'string') {
    payload = body;
  } else if (body !== undefined) {
    h.set('Content-Type', 'application/json');
    payload = JSON.stringify(body);
  }
  if (token) h.set('Authorization', `Bearer ${token}`);
  return { credentials: 'same-origin', ...rest, headers: h, body: payload };
}

async function send(path: string, init: ApiInit, token: string | null): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(path, buildRequest(init, token));
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiRequestError(0, 'NETWORK', FRIENDLY.NETWORK);
  }
  if (response.status === 204) return { status: 204, body: { success: true, data: null } };
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  return { status: response.status, body };
}

/** The full envelope of a successful response. Throws ApiRequestError otherwise. */
export async function apiRequest<T>(path: string, init: ApiInit = {}): Promise<{ data: T; pagination?: Pagination; message?: string }> {
  const useToken = !init.anonymous && tokenSource !== null;
  let token = useToken ? await tokenSource!.getToken() : null;
  let result = await send(path, init, token);
  if (result.status === 401 && useToken) {
    // One refresh-and-retry: the token may have expired between getToken() and the server's check.
    token = await tokenSource!.refresh(token);
    if (token) result = await send(path, init, token);
  }
  const { status, body } = result;
  if (status >= 200 && status < 300 && isEnvelope(body) && body.success) {
    return { data: body.data as T, pagination: body.pagination, message: body.message };
  }
  if (status >= 200 && status < 300) throw new ApiRequestError(status, 'BAD_RESPONSE', FRIENDLY.BAD_RESPONSE);
  throw errorFromEnvelope(status, body);
}

/** `data` of a successful response. */
export async function apiFetch<T>(path: string, init: ApiInit = {}): Promise<T> {
  return (await apiRequest<T>(path, init)).data;
}

/** A paginated list: `data` must be an array. */
export async function apiFetchPage<T>(path: string, init: ApiInit = {}): Promise<{ data: T[]; pagination: Pagination | null }> {
  const { data, pagination } = await apiRequest<unknown>(path, init);
  if (!Array.isArray(data)) throw new ApiRequestError(200, 'BAD_RESPONSE', FRIENDLY.BAD_RESPONSE);
  return { data: data as T[], pagination: pagination ?? null };
}

/** A message a screen may show for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiRequestError) return error.message;
  return 'Something went wrong. Please try again.';
}

/** Field-level messages from a VALIDATION_ERROR's details, when the server gave them. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiRequestError) || error.code !== 'VALIDATION_ERROR') return {};
  const out: Record<string, string> = {};
  const details = error.details;
  if (Array.isArray(details)) {
    for (const d of details) {
      if (d && typeof d === 'object') {
        const { path, field, message } = d as { path?: unknown; field?: unknown; message?: unknown };
        const key = typeof field === 'string' ? field : Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path : null;
        if (key && typeof message === 'string') out[key] = message;
      }
    }
  } else if (details && typeof details === 'object') {
    for (const [key, value] of Object.entries(details)) {
      if (typeof value === 'string') out[key] = value;
      else if (Array.isArray(value) && typeof value[0] === 'string') out[key] = value[0];
    }
  }
  return out;
}
