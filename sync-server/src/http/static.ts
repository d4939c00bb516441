// Serves the built PWA (dist/client) with an SPA fallback: any GET that is not an API/sync/ops path and
// names no file gets index.html, so deep links and offline reloads of every route work.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { AppEnv } from './context.ts';

const NOT_SPA = /^\/(api|sync|health|ready|metrics)(\/|$)/;

export function mountClient(app: Hono<AppEnv>, clientDir: string): void {
  const root = relative(process.cwd(), clientDir) || '.';
  app.use('*', async (c, next) => {
    await next();
    const path = c.req.path;
    if (path === '/sw.js' || path === '/index.html' || path === '/' || path.endsWith('.webmanifest')) {
      // The service worker and the shell must revalidate, or clients never see an update.
      c.header('Cache-Control', 'no-cache');
    } else if (path.startsWith('/assets/')) {
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
    }
  });
  app.use('*', async (c, next) => {
    if (NOT_SPA.test(c.req.path)) return next();
    return serveStatic<AppEnv>({ root })(c, next);
  });
  app.get('*', (c, next) => {
    if (NOT_SPA.test(c.req.path)) return next();
    const index = join(clientDir, 'index.html');
    if (!existsSync(index)) {
      return c.text('The client is not built. Run `npm run build` (npm start does it for you).', 503);
    }
    c.header('Cache-Control', 'no-cache');
    return c.html(readFileSync(index, 'utf8'));
  });
}
