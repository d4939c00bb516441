// "Recently deleted" (issue 5): a deleted task and a deleted comment come back from that view, and the restore
// survives a reload (it was written to the document and saved, not just shown).
import { expect, test } from '@playwright/test';
import { card, createProjectViaUi, expectAllSaved, openTask, quickAdd, registerViaUi, uniqueEmail } from './helpers.ts';

test('a deleted task and a deleted comment are restored from Recently deleted', async ({ page }) => {
  await page.goto('/register');
  await registerViaUi(page, { name: 'Dana Restore', email: uniqueEmail('deleted') });
  const projectId = await createProjectViaUi(page, 'Depot');
  await quickAdd(page, 'To do', 'Inspect the crane');
  await quickAdd(page, 'To do', 'Order fuel');

  // Comment on one task, then delete the comment.
  let details = await openTask(page, 'Order fuel');
  await details.getByLabel('Write a comment').fill('Diesel, 400 litres');
  await details.getByRole('button', { name: 'Comment', exact: true }).click();
  const comment = details.getByRole('article', { name: /^Comment by/ });
  await expect(comment).toContainText('Diesel, 400 litres');
  await comment.getByRole('button', { name: 'Delete' }).click();
  await expect(details.getByText('Diesel, 400 litres')).toHaveCount(0);
  await page.keyboard.press('Escape');

  // Delete the other task.
  details = await openTask(page, 'Inspect the crane');
  await details.getByRole('button', { name: 'Delete task' }).click();
  await expect(card(page, 'Inspect the crane')).toHaveCount(0);

  await page.goto(`/projects/${projectId}/deleted`);
  await expect(page.getByRole('heading', { name: 'Recently deleted' })).toBeVisible();
  await page.getByRole('button', { name: 'Restore Inspect the crane' }).click();
  await page.getByRole('button', { name: 'Restore comment on Order fuel' }).click();
  await expect(page.getByText('No deleted tasks.')).toBeVisible();
  await expect(page.getByText('No deleted comments.')).toBeVisible();

  await page.getByRole('link', { name: 'Back to board' }).click();
  await expect(card(page, 'Inspect the crane')).toBeVisible();
  await expectAllSaved(page);
  await page.reload();
  await expect(card(page, 'Inspect the crane')).toBeVisible();
  details = await openTask(page, 'Order fuel');
  await expect(details.getByRole('article', { name: /^Comment by/ })).toContainText('Diesel, 400 litres');
});
