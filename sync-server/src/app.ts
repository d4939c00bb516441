// createApp(deps) -> the Hono app. Never listens (main.ts does); tests drive it with app.request().
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { ERROR_STATUS, type ErrorCode } from '../../shared/api.ts';
import { authRoutes } from './auth/routes.ts';
import { userRoutes } from './auth/users-routes.ts';
import { ApiError } from './http/api-error.ts';
import { apiCors } from './http/cors.ts';
import { metricsHandler } from './metrics.ts';
import type { AppDeps } from './http/context.ts';
import { newRouter } from './http/router.ts';
import { mountClient } from './http/static.ts';
import { projectRoutes } from './projects/routes.ts';
import { activityRoutes } from './activity/activity-routes.ts';
import { attachmentRoutes } from './attachments/attachment-routes.ts';
import { commentRoutes } from './comments/comment-routes.ts';
import { tagRoutes } from './tags/tag-routes.ts';
import { taskRoutes } from './tasks/task-routes.ts';

/** JSON bodies larger than this are refused with 413 (uploads have their own streaming limit). */
const JSON_BODY_LIMIT = 1024 * 1024;

export function createApp(deps: AppDeps) {
  const { config, logger } = deps;
  const app = newRouter();

  app.use('*', requestId());
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(
    '/api/*',
    apiCors({
      allowedOrigins: config.allowedOrigins,
      allowHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'X-Requested-With'],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      exposeHeaders: ['Retry-After', 'Content-Disposition'],
      maxAge: 600,
    }),
  );
  app.use('/api/*', async (c, next) => {
    // GET and HEAD carry no body (@hono/node-server never reads one for them): bodyLimit would only build a
    // full undici Request to find that out. Uploads stream with their own limit; everything else is small JSON.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (c.req.header('content-type')?.startsWith('multipart/form-data')) return next();
    return bodyLimit({
      maxSize: JSON_BODY_LIMIT,
      onError: () => {
        throw new ApiError('PAYLOAD_TOO_LARGE', `Request body is larger than ${JSON_BODY_LIMIT} bytes`);
      },
    })(c, next);
  });

  app.get('/health', (c) => c.json({ status: 'ok' }));
  if (deps.metrics) app.get('/metrics', metricsHandler(deps.metrics));
  app.get('/ready', async (c) => {
    try {
      await deps.sql`SELECT 1`;
      return c.json({ status: 'ready' });
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'readiness check failed');
      return c.json({ status: 'unavailable', reason: 'database unreachable' }, 503);
    }
  });

  app.route('/api/auth', authRoutes(deps));
  app.route('/api/users', userRoutes(deps));
  app.route('/api/projects', projectRoutes(deps));
  app.route('/api', taskRoutes(deps));
  app.route('/api', commentRoutes(deps));
  app.route('/api', tagRoutes(deps));
  app.route('/api', attachmentRoutes(deps));
  app.route('/api', activityRoutes(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Fieldboard API',
      version: '1.0.0',
      description:
        'Every response is an envelope: {"success":true,"data":...,"pagination"?,"message"?} or ' +
        '{"success":false,"error":{"code","message","details"?}}. Authenticate with Authorization: Bearer <access_token>.',
    },
  });

  app.all('/api/*', () => {
    throw new ApiError('NOT_FOUND', 'No such endpoint');
  });

  mountClient(app, config.clientDir);

  app.notFound((c) => c.json({ success: false, error: { code: 'NOT_FOUND', message: 'Not found' } }, 404));

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
      const body: { code: ErrorCode; message: string; details?: unknown } = { code: error.code, message: error.message };
      if (error.details !== undefined) body.details = error.details;
      return c.json({ success: false, error: body }, error.status);
    }
    if (error instanceof HTTPException) {
      // @hono/zod-openapi answers a body in an undeclared media type with 415; our closed set calls that bad input.
      if (error.status === 415) {
        return c.json({ success: false, error: { code: 'VALIDATION_ERROR', message: 'Unsupported media type: send the request body as application/json' } }, 400);
      }
      const code = httpStatusToCode(error.status);
      return c.json({ success: false, error: { code, message: error.status === 400 ? error.message || 'Bad request' : error.message || code } }, ERROR_STATUS[code]);
    }
    logger.error({ err: error, path: c.req.path, method: c.req.method, requestId: c.get('requestId') }, 'unhandled error');
    // Never leak SQL or stack text to the client.
    return c.json({ success: false, error: { code: 'INTERNAL', message: 'Internal server error' } }, 500);
  });

  return app;
}

function httpStatusToCode(status: number): ErrorCode {
  switch (status) {
    case 400: return 'VALIDATION_ERROR';
    case 401: return 'UNAUTHORIZED';
    case 403: return 'FORBIDDEN';
    case 404: return 'NOT_FOUND';
    case 409: return 'CONFLICT';
    case 413: return 'PAYLOAD_TOO_LARGE';
    case 429: return 'RATE_LIMITED';
    default: return 'INTERNAL';
  }
}

export type App = ReturnType<typeof createApp>;
