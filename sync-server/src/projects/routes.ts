import { newRouter } from '../http/router.ts';
import type { AppDeps } from '../http/context.ts';

// Placeholder until the project routes land.
export function projectRoutes(_deps: AppDeps) {
  return newRouter();
}
