// Several tabs of the app at once stay consistent (issue 5, local-first data), online and offline, and
// sign-out removes the user's local data after warning about unsaved changes.
import { expect, type Page, test } from '@playwright/test';
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
  // Each tab counts the unsaved changes from IndexedDB, which the other tab's writes reach a moment after
  // the edit itself: both tabs settle on the number of changes stored as pending, at least the two made
  // offline (the add in tab one, the move in tab two).
  await expect
    .poll(async () => {
      const stored = await pendingChangesStored(tab1, projectId);
      const expected = `Offline · ${stored} change${stored === 1 ? '' : 's'} not saved yet`;
      const shown = await Promise.all([tab1, tab2].map(async (tab) => (await syncStatus(tab).textContent()) ?? ''));
      return { atLeastTwo: stored >= 2, shown: shown.map((text) => (text === expected ? 'agrees' : `${text} (stored: ${stored})`)) };
    })
    .toEqual({ atLeastTwo: true, shown: ['agrees', 'agrees'] });

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

/** Rows in the user's pendingChanges store for the project, read straight from IndexedDB. */
async function pendingChangesStored(page: Page, projectId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const names = (await indexedDB.databases()).map((d) => d.name).filter((n): n is string => !!n?.startsWith('fieldboard-'));
    if (names.length !== 1) throw new Error(`expected one Fieldboard database, found ${names.length}`);
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(names[0]);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    try {
      return await new Promise<number>((resolve, reject) => {
        const count = db.transaction('pendingChanges').objectStore('pendingChanges').index('projectId').count(id);
        count.onsuccess = () => resolve(count.result);
        count.onerror = () => reject(count.error);
      });
    } finally {
      db.close();
    }
  }, projectId);
}
