import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.ts';

// Browser tests run against a real server (real PostgreSQL when DATABASE_URL is set, else embedded PGlite)
// in Debian's chromium. scripts/e2e-server.mjs builds the client, creates a throwaway database and starts
// the server; Playwright owns that process.
const port = Number(process.env.E2E_PORT ?? 8791);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Multi-user specs (two browser contexts, members API, offline/online cycles) take 20-45 s on 2 cores.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: `node scripts/e2e-server.mjs ${port}`,
    url: `http://127.0.0.1:${port}/ready`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    // Playwright SIGKILLs the server by default, which skipped e2e-server.mjs's cleanup (a fb_e2e_* database
    // and a /tmp/fieldboard-e2e-* directory left behind per run): SIGTERM lets it stop the server and drop them.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
});
