// Issue 5, test 4: both users edit the same task offline (different fields, and the same description),
// then reconnect: both see the merged result and nothing is lost.
import { expect, test, type Page } from '@playwright/test';
import { addMemberViaApi, card, createProjectViaUi, expectAllSaved, loginViaApi, loginViaUi, quickAdd, registerViaApi, registerViaUi, syncStatus, uniqueEmail } from './helpers.ts';

async function openTask(page: Page, title: string) {
  await card(page, title).getByRole('link', { name: title }).click();
  const dialog = page.getByRole('dialog', { name: title });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('offline edits of one task by two users merge without loss', async ({ browser }) => {
  const ctxA = await browser.newContext();
  const ctxB = await browser.newContext();
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  const emailA = uniqueEmail('olga');
  const emailB = uniqueEmail('omar');

  await registerViaUi(a, { name: 'Olga Oak', email: emailA });
  const projectId = await createProjectViaUi(a, 'Remote site');
  await quickAdd(a, 'To do', 'Repair the pump');
  const detailsA = await openTask(a, 'Repair the pump');
  await detailsA.getByLabel('Description').fill('Pump check.');
  await expectAllSaved(a);

  await registerViaApi(ctxB.request, { name: 'Omar Olive', email: emailB });
  const { token } = await loginViaApi(ctxA.request, emailA);
  await addMemberViaApi(ctxA.request, token, projectId, emailB, 'MEMBER');
  await loginViaUi(b, emailB);
  await b.goto(`/projects/${projectId}`);
  const detailsB = await openTask(b, 'Repair the pump');
  await expect(detailsB.getByLabel('Description')).toHaveValue('Pump check.');

  await ctxA.setOffline(true);
  await ctxB.setOffline(true);
  await expect(syncStatus(a)).toContainText('Offline');
  await expect(syncStatus(b)).toContainText('Offline');

  // Different fields...
  await detailsA.getByLabel('Priority').selectOption('URGENT');
  await detailsA.getByLabel('Estimated hours').fill('3.5');
  await detailsA.getByLabel('Estimated hours').press('Tab');
  await detailsB.getByLabel('Due date').fill('2031-05-20');
  await detailsB.getByLabel('New checklist item').fill('Order gasket');
  await detailsB.getByRole('button', { name: 'Add item' }).click();
  // ...and the same description: A types at the end, B at the start.
  const descA = detailsA.getByLabel('Description');
  await descA.click();
  await descA.press('End');
  await descA.pressSequentially(' Valve 3 leaks.');
  const descB = detailsB.getByLabel('Description');
  await descB.click();
  await descB.press('Control+Home');
  await descB.pressSequentially('Urgent: ');
  await expect(syncStatus(a)).toContainText(/not saved yet/);
  await expect(syncStatus(b)).toContainText(/not saved yet/);

  await ctxA.setOffline(false);
  await ctxB.setOffline(false);
  await expectAllSaved(a, 30_000);
  await expectAllSaved(b, 30_000);

  for (const details of [detailsA, detailsB]) {
    await expect(details.getByLabel('Description')).toHaveValue('Urgent: Pump check. Valve 3 leaks.');
    await expect(details.getByLabel('Priority')).toHaveValue('URGENT');
    await expect(details.getByLabel('Estimated hours')).toHaveValue('3.5');
    await expect(details.getByLabel('Due date')).toHaveValue('2031-05-20');
    await expect(details.getByRole('checkbox', { name: 'Done: Order gasket' })).toBeVisible();
  }
  await ctxA.close();
  await ctxB.close();
});
