// Issue 5, test 2: two users in two browser contexts on one board see each other's moves within a second.
import { expect, test } from '@playwright/test';
import { addMemberViaApi, card, column, createProjectViaUi, expectAllSaved, loginViaApi, loginViaUi, quickAdd, registerViaApi, registerViaUi, uniqueEmail } from './helpers.ts';

test("two users see each other's moves within a second", async ({ browser }) => {
  const ctxA = await browser.newContext();
  const ctxB = await browser.newContext();
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  const emailA = uniqueEmail('ann');
  const emailB = uniqueEmail('ben');

  await registerViaUi(a, { name: 'Ann Alder', email: emailA });
  const projectId = await createProjectViaUi(a, 'Shared board');
  await quickAdd(a, 'To do', 'Fix the gate');
  await quickAdd(a, 'To do', 'Mow the field');
  await expectAllSaved(a);

  await registerViaApi(ctxB.request, { name: 'Ben Birch', email: emailB });
  const { token } = await loginViaApi(ctxA.request, emailA);
  await addMemberViaApi(ctxA.request, token, projectId, emailB, 'MEMBER');

  await loginViaUi(b, emailB);
  await b.goto(`/projects/${projectId}`);
  await expect(card(b, 'Fix the gate')).toBeVisible();
  // Each sees the other on the board.
  await expect(b.getByRole('list', { name: /On this board now: .*Ann Alder/ })).toBeVisible();
  await expect(a.getByRole('list', { name: /On this board now: .*Ben Birch/ })).toBeVisible();

  // A moves a card: B sees it within a second.
  await card(a, 'Fix the gate').getByRole('button', { name: /^Move to…/ }).click();
  await a.getByRole('menuitem', { name: 'In progress: top' }).click();
  await expect(column(b, 'In progress').getByRole('article', { name: 'Fix the gate' })).toBeVisible({ timeout: 1000 });

  // B moves another card: A sees it within a second.
  await card(b, 'Mow the field').getByRole('button', { name: /^Move to…/ }).click();
  await b.getByRole('menuitem', { name: 'Done: top' }).click();
  await expect(column(a, 'Done').getByRole('article', { name: 'Mow the field' })).toBeVisible({ timeout: 1000 });

  // A task B opens is marked on A's board.
  await card(b, 'Fix the gate').getByRole('link', { name: 'Fix the gate' }).click();
  await expect(card(a, 'Fix the gate')).toContainText('Open by Ben Birch', { timeout: 2000 });

  await expectAllSaved(a);
  await expectAllSaved(b);
  await ctxA.close();
  await ctxB.close();
});
