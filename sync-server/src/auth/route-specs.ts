// OpenAPI route definitions of /api/auth and /api/users: one schema drives validation, types and the
// document at /api/openapi.json.
import { createRoute, z } from '@hono/zod-openapi';
import {
  AuthResultSchema,
  LoginRequestSchema,
  RefreshTokenRequestSchema,
  RegisterRequestSchema,
  UpdateUserRequestSchema,
  UserListQuerySchema,
  UserSchema,
} from '../../../shared/schemas/auth.ts';
import { bearer, envelope, ErrorEnvelopeSchema, json } from '../projects/route-schemas.ts';

// The envelope pieces are the projects module's, so the document has one ErrorEnvelope and one Pagination
// component. (They would sit better in http/; moving them is the projects owner's call.)
const err = (description: string) => json(ErrorEnvelopeSchema, description);
const rateLimited = err('RATE_LIMITED: too many attempts; the Retry-After header says how many seconds to wait');
const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({ body: { required, content: { 'application/json': { schema } } } });

export const registerRoute = createRoute({
  method: 'post',
  path: '/register',
  tags: ['auth'],
  summary: 'Create an account (the first account of an empty instance becomes instance admin)',
  request: jsonBody(RegisterRequestSchema),
  responses: {
    201: json(envelope(AuthResultSchema), 'Account created and signed in; also sets the fb_refresh cookie'),
    400: err('VALIDATION_ERROR: invalid email, password too short/long/common, or bad full_name'),
    409: err('CONFLICT: an account with this email exists'),
    429: rateLimited,
  },
});

export const loginRoute = createRoute({
  method: 'post',
  path: '/login',
  tags: ['auth'],
  summary: 'Sign in with email and password',
  request: jsonBody(LoginRequestSchema),
  responses: {
    200: json(envelope(AuthResultSchema), 'Signed in; also sets the fb_refresh cookie'),
    400: err('VALIDATION_ERROR'),
    401: err('UNAUTHORIZED: wrong email or password (one message for both), or the account is deactivated'),
    429: rateLimited,
  },
});

const refreshDescription =
  'Send {refresh_token} in the body, or (browsers) no body and the fb_refresh cookie together with the header ' +
  'X-Requested-With: fieldboard.';

export const refreshRoute = createRoute({
  method: 'post',
  path: '/refresh',
  tags: ['auth'],
  summary: 'Exchange a refresh token for a new access AND refresh token (rotation)',
  description: `${refreshDescription} Presenting an already-used refresh token ends the whole session.`,
  request: jsonBody(RefreshTokenRequestSchema, false),
  responses: {
    200: json(envelope(AuthResultSchema), 'New tokens; the old refresh token is now spent'),
    400: err('VALIDATION_ERROR'),
    401: err('UNAUTHORIZED: no, unknown, expired, revoked or reused refresh token'),
    403: err('FORBIDDEN: cookie sent without the X-Requested-With: fieldboard header'),
  },
});

export const logoutRoute = createRoute({
  method: 'post',
  path: '/logout',
  tags: ['auth'],
  summary: 'End the current session (every token of its family) and clear the cookie',
  description: `Authenticate with the bearer access token, or without one: ${refreshDescription}`,
  security: [...bearer, {}],
  request: jsonBody(RefreshTokenRequestSchema, false),
  responses: {
    200: json(envelope(z.null()), 'Signed out'),
    400: err('VALIDATION_ERROR'),
    401: err('UNAUTHORIZED: no valid access token or refresh token'),
    403: err('FORBIDDEN: cookie sent without the X-Requested-With: fieldboard header'),
  },
});

export const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['auth'],
  summary: 'The signed-in user',
  security: bearer,
  responses: {
    200: json(envelope(UserSchema), 'The user'),
    401: err('UNAUTHORIZED'),
  },
});

const UserIdParams = z.object({
  // A plain string so that a non-UUID id answers 404 like any unknown id.
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }),
});

export const listUsersRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['users'],
  summary: 'List users of this instance (instance admins only), optionally filtered by name or email',
  security: bearer,
  request: { query: UserListQuerySchema },
  responses: {
    200: json(envelope(z.array(UserSchema), { paginated: true }), 'A page of users, sorted by email'),
    400: err('VALIDATION_ERROR'),
    401: err('UNAUTHORIZED'),
    403: err('FORBIDDEN: not an instance admin'),
  },
});

export const updateUserRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  tags: ['users'],
  summary: 'Deactivate or reactivate a user (instance admins only); deactivation ends every session of theirs',
  security: bearer,
  request: { params: UserIdParams, ...jsonBody(UpdateUserRequestSchema) },
  responses: {
    200: json(envelope(UserSchema), 'The updated user'),
    400: err('VALIDATION_ERROR'),
    401: err('UNAUTHORIZED'),
    403: err('FORBIDDEN: not an instance admin'),
    404: err('NOT_FOUND: no such user'),
    409: err('CONFLICT: you cannot deactivate your own account'),
  },
});
