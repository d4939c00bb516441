// Request and response schemas of the auth and users API, shared by the server (validation and the OpenAPI
// document, through @hono/zod-openapi) and the client (typed calls, instant form feedback). Plain zod: the
// `.meta({ id })` names become OpenAPI components without importing any server library here.
import { z } from 'zod';
import { isCommonPassword } from '../common-passwords.ts';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const FULL_NAME_MAX = 100;
export const EMAIL_MAX = 254;
/** Opaque refresh tokens are 43 base64url characters; anything far longer is not ours. */
const REFRESH_TOKEN_MAX = 512;

/** Length in code points, so an emoji or an accented letter counts as one character, as a user expects. */
export const codePointLength = (s: string) => [...s].length;

export const EmailSchema = z
  .string({ error: 'email is required' })
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX, `email must be at most ${EMAIL_MAX} characters`)
  .pipe(z.email({ error: 'email must be a valid address like name@example.com' }));

/**
 * New passwords (NIST SP 800-63B): length only, no composition rules, common passwords refused. Not trimmed:
 * spaces are legitimate in passphrases.
 */
export const NewPasswordSchema = z
  .string({ error: 'password is required' })
  // Cheap guard before counting code points of a huge string; the real limit is the code-point check below.
  .max(PASSWORD_MAX * 4, `password must be at most ${PASSWORD_MAX} characters`)
  .refine((p) => codePointLength(p) >= PASSWORD_MIN, `password must be at least ${PASSWORD_MIN} characters`)
  .refine((p) => codePointLength(p) <= PASSWORD_MAX, `password must be at most ${PASSWORD_MAX} characters`)
  .refine((p) => !isCommonPassword(p), 'This password is one of the most commonly used ones and easy to guess; choose another (a few unrelated words work well)');

export const FullNameSchema = z
  .string({ error: 'full_name is required' })
  .trim()
  .refine((n) => codePointLength(n) >= 1, 'full_name must not be empty')
  .refine((n) => codePointLength(n) <= FULL_NAME_MAX, `full_name must be at most ${FULL_NAME_MAX} characters`)
  // Names are shown in lists, mentions and emails: no line breaks or other control characters.
  .refine((n) => !/\p{Cc}/u.test(n), 'full_name must not contain line breaks or control characters');

export const RegisterRequestSchema = z
  .object({ email: EmailSchema, password: NewPasswordSchema, full_name: FullNameSchema })
  .meta({ id: 'RegisterRequest' });
export type RegisterRequest = z.input<typeof RegisterRequestSchema>;

export const LoginRequestSchema = z
  .object({
    email: EmailSchema,
    // Existing passwords are checked only for presence: rules may have changed since the account was made.
    password: z.string({ error: 'password is required' }).min(1, 'password is required').max(PASSWORD_MAX * 4, 'password is too long'),
  })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.input<typeof LoginRequestSchema>;

/** Refresh and logout: the token in the body, or (browsers) in the httpOnly cookie with X-Requested-With. */
export const RefreshTokenRequestSchema = z
  .object({ refresh_token: z.string().min(1, 'refresh_token must not be empty').max(REFRESH_TOKEN_MAX, 'refresh_token is too long').optional() })
  .meta({ id: 'RefreshTokenRequest' });
export type RefreshTokenRequest = z.input<typeof RefreshTokenRequestSchema>;

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    full_name: z.string(),
    avatar_url: z.string().nullable(),
    is_instance_admin: z.boolean(),
    is_active: z.boolean(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof UserSchema>;

export const AuthResultSchema = z
  .object({
    user: UserSchema,
    access_token: z.string(),
    /** Also set as the httpOnly `fb_refresh` cookie (Path=/api/auth); browsers should rely on the cookie. */
    refresh_token: z.string(),
    /** Access token lifetime in seconds. */
    expires_in: z.number().int(),
  })
  .meta({ id: 'AuthResult' });
export type AuthResult = z.infer<typeof AuthResultSchema>;

export const UpdateUserRequestSchema = z
  .strictObject({ is_active: z.boolean({ error: 'is_active must be true or false' }) })
  .meta({ id: 'UpdateUserRequest' });
export type UpdateUserRequest = z.input<typeof UpdateUserRequestSchema>;

export const USERS_PER_PAGE_MAX = 100;
export const UserListQuerySchema = z.object({
  search: z.string().trim().max(200, 'search must be at most 200 characters').optional(),
  page: z.coerce.number({ error: 'page must be a number' }).int('page must be a whole number').min(1, 'page must be at least 1').default(1),
  per_page: z.coerce
    .number({ error: 'per_page must be a number' })
    .int('per_page must be a whole number')
    .min(1, 'per_page must be at least 1')
    .max(USERS_PER_PAGE_MAX, `per_page must be at most ${USERS_PER_PAGE_MAX}`)
    .default(20),
});
