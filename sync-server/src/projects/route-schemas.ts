// OpenAPI building blocks: the response envelope, the error responses every authenticated route can give, and
// path parameters. Born with the project routes; every other route module reuses them, so the document has one
// ErrorEnvelope and one Pagination component. Keep the exports stable. Path ids are plain strings on purpose: a non-UUID id must
// answer 404 like any unknown project, not 400, so nobody can tell ids apart by the error they get.
import { z } from '@hono/zod-openapi';
import { ERROR_STATUS, type ErrorCode } from '../../../shared/api.ts';

export const ErrorEnvelopeSchema = z
  .object({
    success: z.literal(false),
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('ErrorEnvelope');

export const PaginationSchema = z
  .object({ page: z.number().int(), per_page: z.number().int(), total: z.number().int(), pages: z.number().int() })
  .openapi('Pagination');

export function envelope<T extends z.ZodType>(data: T, opts: { paginated?: boolean } = {}) {
  return z.object({
    success: z.literal(true),
    data,
    ...(opts.paginated ? { pagination: PaginationSchema } : {}),
    message: z.string().optional(),
  });
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

const error = (description: string) => json(ErrorEnvelopeSchema, description);

export const errors = {
  400: error('Invalid input (VALIDATION_ERROR); error.details lists each field'),
  401: error('Missing, invalid or expired access token'),
  403: error('Your role in the project does not allow this'),
  404: error('No such project, or you are not a member'),
  409: error('Conflicts with the current state'),
} as const;

export const bearer = [{ bearerAuth: [] }];

export const ProjectIdParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid', example: '0b5d6a52-5d0c-4a8e-9d1f-3f3b8f0a2c11' }),
});

export const MemberParams = ProjectIdParams.extend({
  userId: z.string().openapi({ param: { name: 'userId', in: 'path' }, format: 'uuid' }),
});
