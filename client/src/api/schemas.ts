// The API's zod schemas (shared/schemas), evaluated on first use through a dynamic import. Building zod
// schemas is most of what evaluating the app's start-up code cost (the zod library and every schema in it,
// ~45% of it in a cold board open's profile), and nothing before a board's first paint validates with them:
// the start-up path checks its few stored shapes by hand (auth/session.ts, projects/stored-detail.ts). The
// build inlines the import into the one script (vite.config.ts), so it never needs the network; preload.ts
// evaluates it once the page is idle. A failed load (possible only with a code-split build) is retried on
// the next call.
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
