// Shared Playwright helpers: accounts and projects through the API or the UI, board locators, the sync
// indicator, accessibility checks and screenshots (test-results/screenshots/, looked at after each run).
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let counter = 0;
export function uniqueEmail(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}@example.com`;
}

export const PASSWORD = 'correct horse battery staple';

export async function registerViaUi(page: Page, user: { name: string; email: string; password?: string }) {
  await page.goto('/register');
  await page.getByLabel('Full name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password ?? PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
}

export async function loginViaUi(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
}

/** Registers through the API (no browser) and returns the user's id and access token. */
export async function registerViaApi(request: APIRequestContext, user: { name: string; email: string }) {
  const res = await request.post('/api/auth/register', {
    data: { email: user.email, password: PASSWORD, full_name: user.name },
    headers: { 'X-Requested-With': 'fieldboard' },
  });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { data: { user: { id: string }; access_token: string } };
  return { id: body.data.user.id, token: body.data.access_token };
}

export async function loginViaApi(request: APIRequestContext, email: string) {
  const res = await request.post('/api/auth/login', { data: { email, password: PASSWORD }, headers: { 'X-Requested-With': 'fieldboard' } });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { data: { user: { id: string }; access_token: string } };
  return { id: body.data.user.id, token: body.data.access_token };
}

export async function addMemberViaApi(request: APIRequestContext, token: string, projectId: string, email: string, role: string) {
  const res = await request.post(`/api/projects/${projectId}/members`, {
    data: { email, role },
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status(), await res.text()).toBe(201);
}

/** Creates a project through the dialog and returns its id (from the board URL it opens). */
export async function createProjectViaUi(page: Page, name: string): Promise<string> {
  await page.getByRole('button', { name: 'New project' }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Description').fill(`${name}: created by a browser test`);
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  return page.url().split('/projects/')[1]!;
}

export function column(page: Page, name: string) {
  return page.getByRole('region', { name, exact: true });
}

export function card(page: Page, title: string) {
  return page.getByRole('article', { name: title, exact: true });
}

export async function quickAdd(page: Page, columnName: string, title: string) {
  const col = column(page, columnName);
  await col.getByLabel(`New task in ${columnName}`).fill(title);
  await col.getByLabel(`New task in ${columnName}`).press('Enter');
  await expect(col.getByRole('article', { name: title, exact: true })).toBeVisible();
}

export function syncStatus(page: Page) {
  return page.getByTestId('sync-status');
}

export async function expectAllSaved(page: Page, timeout = 15_000) {
  await expect(syncStatus(page)).toHaveText(/All changes saved/, { timeout });
}

/** Runs axe-core in the page and fails on any serious or critical violation. */
export async function expectNoSeriousA11yViolations(page: Page, label: string) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
  expect(violations, `axe violations on ${label}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** Opens a task's details from its card and returns the dialog. */
export async function openTask(page: Page, title: string) {
  await card(page, title).getByRole('link', { name: title }).click();
  const dialog = page.getByRole('dialog', { name: title });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Moves a card with its "Move to…" menu (no dragging), e.g. target 'In progress: top'. */
export async function moveWithMenu(page: Page, title: string, target: string) {
  await card(page, title).getByRole('button', { name: /^Move to…/ }).click();
  await page.getByRole('menuitem', { name: target }).click();
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: false });
}

/** Waits until the service worker is activated (app shell precached) and controls the page (clientsClaim). */
export async function waitForServiceWorker(page: Page, timeout = 30_000) {
  await page.waitForFunction(
    async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return reg?.active?.state === 'activated' && navigator.serviceWorker.controller !== null;
    },
    undefined,
    { timeout },
  );
}

/** Creates a project through the API and returns its id. */
export async function createProjectViaApi(request: APIRequestContext, token: string, name: string): Promise<string> {
  const res = await request.post('/api/projects', { data: { name }, headers: { Authorization: `Bearer ${token}` } });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { data: { id: string } };
  return body.data.id;
}

/**
 * After a keyboard pick-up: dnd-kit's KeyboardSensor starts listening for arrow keys in a setTimeout(0) after
 * activation, and the pick-up announcement can be in the DOM before that timer ran, so an arrow key sent at
 * once may be lost (a person cannot press that fast; a test can). A timer queued now runs after dnd-kit's.
 */
export async function untilKeyboardDragListens(page: Page) {
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
}
