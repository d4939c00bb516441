// Several tabs of the app at once stay consistent (issue 5, local-first data), online and offline, and
// sign-out removes the user's local data after warning about unsaved changes.
import { expect, test } from '@playwright/test';
import { card, column, createProjectViaUi, expectAllSaved, moveWithMenu, quickAdd, registerViaUi, syncStatus, uniqueEmail } from './helpers.ts';

test('two tabs stay consistent online and offline; sign-out warns, then deletes local data', async ({ context }) => {
  const tab1 = await context.newPage();
  await registerViaUi(tab1, { name: 'Tia Tabs', email: uniqueEmail('tabs') });
  const projectId = await createProjectViaUi(tab1, 'Two tabs');
  await quickAdd(tab1, 'To do', 'Made in tab one');
  await expectAllSaved(tab1);

  const tab2 = await context.newPage();
  await tab2.goto(`/projects/${projectId}`);
  await expect(card(tab2, 'Made in tab one')).toBeVisible();
  await quickAdd(tab2, 'To do', 'Made in tab two');
  await expect(card(tab1, 'Made in tab two')).toBeVisible();

  // Offline, the tabs keep each other up to date on this device and agree on what is unsaved.
  await context.setOffline(true);
  await expect(syncStatus(tab1)).toContainText('Offline');
  await quickAdd(tab1, 'In progress', 'Offline in tab one');
  await expect(card(tab2, 'Offline in tab one')).toBeVisible();
  await moveWithMenu(tab2, 'Made in tab one', 'Done: top');
  await expect(column(tab1, 'Done').getByRole('article', { name: 'Made in tab one' })).toBeVisible();
  await expect(syncStatus(tab1)).toContainText(/Offline · \d+ changes? not saved yet/);
  const unsaved1 = (await syncStatus(tab1).textContent())!.match(/(\d+) changes?/)![1];
  await expect(syncStatus(tab2)).toContainText(`${unsaved1} change`);

  // Signing out with unsaved changes asks first; staying keeps everything.
  await tab1.getByRole('button', { name: /^Account:/ }).click();
  await tab1.getByRole('menuitem', { name: 'Sign out' }).click();
  const confirm = tab1.getByRole('dialog', { name: 'Sign out?' });
  await expect(confirm).toContainText('not reached the server yet');
  await confirm.getByRole('button', { name: 'Stay signed in' }).click();

  await context.setOffline(false);
  await expectAllSaved(tab1, 30_000);
  await expectAllSaved(tab2, 30_000);

  // Saved: sign-out goes straight through, deletes this user's database, and the other tab follows.
  await tab1.getByRole('button', { name: /^Account:/ }).click();
  await tab1.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(tab1.getByRole('heading', { name: 'Sign in to Fieldboard' })).toBeVisible();
  await expect(tab2.getByRole('heading', { name: 'Sign in to Fieldboard' })).toBeVisible();
  await expect
    .poll(async () => tab1.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith('fieldboard-'))))
    .toEqual([]);
  expect(await tab1.evaluate(() => localStorage.getItem('fieldboard.lastUser'))).toBeNull();
});
