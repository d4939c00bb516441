import { newRouter } from '../http/router.ts';
import type { AppDeps } from '../http/context.ts';

// Placeholder until the auth routes land (register, login, refresh, logout, me).
export function authRoutes(_deps: AppDeps) {
  return newRouter();
}
