// Issue 5, test 3: offline (context.setOffline) create, move and edit tasks; reload the page while still
// offline: all there; back online: the other user sees them and the status reaches "All changes saved".
import { expect, test } from '@playwright/test';
import {
  addMemberViaApi,
  card,
  column,
  createProjectViaUi,
  expectAllSaved,
  loginViaApi,
  loginViaUi,
  moveWithMenu,
  openTask,
  quickAdd,
  registerViaApi,
  registerViaUi,
  screenshot,
  syncStatus,
  uniqueEmail,
  waitForServiceWorker,
} from './helpers.ts';

test('offline edits survive an offline reload and reach the other user once back online', async ({ browser }) => {
  const ctxA = await browser.newContext();
  const ctxB = await browser.newContext();
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  const emailA = uniqueEmail('fay');
  const emailB = uniqueEmail('gus');

  await registerViaUi(a, { name: 'Fay Fielder', email: emailA });
  const projectId = await createProjectViaUi(a, 'Offline site');
  await quickAdd(a, 'To do', 'Survey the site');
  await expectAllSaved(a);
  await waitForServiceWorker(a);

  await registerViaApi(ctxB.request, { name: 'Gus Grove', email: emailB });
  const { token } = await loginViaApi(ctxA.request, emailA);
  await addMemberViaApi(ctxA.request, token, projectId, emailB, 'MEMBER');
  await loginViaUi(b, emailB);
  await b.goto(`/projects/${projectId}`);
  await expect(card(b, 'Survey the site')).toBeVisible();

  await ctxA.setOffline(true);
  await expect(syncStatus(a)).toContainText('Offline');

  // Create, move and edit, all without a network.
  await quickAdd(a, 'To do', 'Fix the fence');
  await quickAdd(a, 'In progress', 'Lay the cable');
  await moveWithMenu(a, 'Survey the site', 'Done: top');
  await expect(column(a, 'Done').getByRole('article', { name: 'Survey the site' })).toBeVisible();
  const details = await openTask(a, 'Fix the fence');
  await details.getByLabel('Priority').selectOption('URGENT');
  await details.getByLabel('Description').fill('Posts 4 to 7 are down.');
  await a.keyboard.press('Escape');
  await expect(details).toBeHidden();
  await expect(card(a, 'Fix the fence')).toContainText(/urgent/i);
  await expect(syncStatus(a)).toContainText(/Offline · \d+ changes? not saved yet/);
  // Nothing reached the other user.
  await expect(card(b, 'Fix the fence')).toHaveCount(0);

  // Reload while still offline: the service worker serves the shell, IndexedDB the board.
  await a.reload();
  await expect(column(a, 'To do').getByRole('article', { name: 'Fix the fence' })).toBeVisible();
  await expect(column(a, 'In progress').getByRole('article', { name: 'Lay the cable' })).toBeVisible();
  await expect(column(a, 'Done').getByRole('article', { name: 'Survey the site' })).toBeVisible();
  await expect(card(a, 'Fix the fence')).toContainText(/urgent/i);
  await expect(syncStatus(a)).toContainText(/Offline · \d+ changes? not saved yet/);
  await screenshot(a, 'offline-after-reload');
  const reopened = await openTask(a, 'Fix the fence');
  await expect(reopened.getByLabel('Description')).toHaveValue('Posts 4 to 7 are down.');
  await a.keyboard.press('Escape');

  // Back online: the status only says saved once the server confirmed every change, and B sees them.
  await ctxA.setOffline(false);
  await expectAllSaved(a, 30_000);
  await expect(column(b, 'To do').getByRole('article', { name: 'Fix the fence' })).toBeVisible();
  await expect(column(b, 'In progress').getByRole('article', { name: 'Lay the cable' })).toBeVisible();
  await expect(column(b, 'Done').getByRole('article', { name: 'Survey the site' })).toBeVisible();
  await expect(card(b, 'Fix the fence')).toContainText(/urgent/i);
  const onB = await openTask(b, 'Fix the fence');
  await expect(onB.getByLabel('Description')).toHaveValue('Posts 4 to 7 are down.');
  await screenshot(b, 'offline-changes-seen-by-other-user');

  await ctxA.close();
  await ctxB.close();
});

test('a project created offline is usable at once and registers with the server on reconnect', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const email = uniqueEmail('hal');
  await registerViaUi(page, { name: 'Hal Heath', email });
  await waitForServiceWorker(page);

  await ctx.setOffline(true);
  const projectId = await createProjectViaUi(page, 'Made in a tunnel');
  await quickAdd(page, 'To do', 'Measure the tunnel');
  await expect(syncStatus(page)).toContainText(/Offline · \d+ changes? not saved yet/);
  await page.reload();
  await expect(card(page, 'Measure the tunnel')).toBeVisible();

  await ctx.setOffline(false);
  await expectAllSaved(page, 30_000);

  // The server has the project under the same id, with its board: a fresh browser profile sees it.
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await loginViaUi(fresh, email);
  await expect(fresh.getByRole('link', { name: /Made in a tunnel/ }).first()).toBeVisible();
  await fresh.goto(`/projects/${projectId}`);
  await expect(card(fresh, 'Measure the tunnel')).toBeVisible();
  await expectAllSaved(fresh);
  await ctx.close();
  await other.close();
});
