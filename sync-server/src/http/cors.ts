// CORS for /api/*: the same headers as hono's cors() with our options, set so @hono/node-server can keep
// its fast path. hono's cors() sets its headers on c.res before the handler runs; Hono then merges that early
// response into the handler's (`set res`), which reads the handler's body as a stream and turns every API
// response into a real undici Response (5-6% of the server's CPU per request in bench scenario 6). Here
// preflights still go through hono's cors() unchanged; every other request gets the same headers on the
// final response, after the handler (they win over a handler's own values, as they did when merged).
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context.ts';

export interface ApiCorsOptions {
  allowedOrigins: readonly string[];
  allowHeaders: string[];
  allowMethods: string[];
  exposeHeaders: string[];
  maxAge: number;
}

export function apiCors(opts: ApiCorsOptions) {
  const allowOrigin = (origin: string) => (opts.allowedOrigins.includes(origin) ? origin : null);
  const preflight = cors({
    origin: allowOrigin,
    credentials: true,
    allowHeaders: opts.allowHeaders,
    allowMethods: opts.allowMethods,
    exposeHeaders: opts.exposeHeaders,
    maxAge: opts.maxAge,
  });
  const expose = opts.exposeHeaders.join(',');
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    const origin = allowOrigin(c.req.header('origin') || '');
    await next();
    // c.res.headers, not c.header(): after the handler, c.header() would rebuild the response the same slow way.
    const headers = c.res.headers;
    if (origin) headers.set('Access-Control-Allow-Origin', origin);
    headers.set('Access-Control-Allow-Credentials', 'true');
    if (expose) headers.set('Access-Control-Expose-Headers', expose);
    headers.append('Vary', 'Origin');
  });
}
