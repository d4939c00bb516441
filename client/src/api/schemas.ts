// The API's zod schemas (shared/schemas), loaded from their own chunk on first use. Building zod schemas is
// most of what evaluating the app's start-up script cost (the zod library and every schema in it, ~45% of
// it in a cold board open's profile), and nothing before a board's first paint validates with them: the
// start-up path checks its few stored shapes by hand (auth/session.ts, projects/stored-detail.ts). The chunk
// is precached by the service worker and preloaded (preload.ts), so this works offline; a failed load is
// retried on the next call.
import { registerPreload } from '../preload.ts';
import type * as ProjectSchemaModule from '../../../shared/schemas/projects.ts';

type ProjectSchemas = typeof ProjectSchemaModule;

let projects: Promise<ProjectSchemas> | null = null;

export function projectSchemas(): Promise<ProjectSchemas> {
  projects ??= import('../../../shared/schemas/projects.ts').catch((error: unknown) => {
    projects = null;
    throw error;
  });
  return projects;
}
registerPreload(projectSchemas);
