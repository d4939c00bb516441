// Issue 5, test 6: a VIEWER cannot change anything: no controls, and a write forced through the document
// API in page context is refused by the server (never shown as saved, never reaches other users).
import { expect, test } from '@playwright/test';
import { addMemberViaApi, card, column, createProjectViaUi, expectAllSaved, loginViaApi, loginViaUi, quickAdd, registerViaApi, registerViaUi, syncStatus, uniqueEmail } from './helpers.ts';

test('a VIEWER cannot change anything', async ({ browser }) => {
  const ctxA = await browser.newContext();
  const ctxV = await browser.newContext();
  const a = await ctxA.newPage();
  const v = await ctxV.newPage();
  const emailA = uniqueEmail('owner');
  const emailV = uniqueEmail('viewer');

  await registerViaUi(a, { name: 'Owen Owner', email: emailA });
  const projectId = await createProjectViaUi(a, 'Read only board');
  await quickAdd(a, 'To do', 'Visible task');
  await expectAllSaved(a);
  await registerViaApi(ctxV.request, { name: 'Vera Viewer', email: emailV });
  const { token } = await loginViaApi(ctxA.request, emailA);
  await addMemberViaApi(ctxA.request, token, projectId, emailV, 'VIEWER');

  await loginViaUi(v, emailV);
  await v.goto(`/projects/${projectId}`);
  await expect(card(v, 'Visible task')).toBeVisible();
  await expect(v.getByText('You can view this board but not change it.')).toBeVisible();
  await expect(v.getByRole('button', { name: /^Drag / })).toHaveCount(0);
  await expect(v.getByRole('button', { name: /^Move to…/ })).toHaveCount(0);
  await expect(v.getByLabel(/^New task in/)).toHaveCount(0);
  await expect(v.getByRole('button', { name: 'Undo' })).toHaveCount(0);
  await expect(v.getByRole('link', { name: 'Settings' })).toHaveCount(0);

  await card(v, 'Visible task').getByRole('link', { name: 'Visible task' }).click();
  const details = v.getByRole('dialog', { name: 'Visible task' });
  await expect(details.getByLabel('Title')).toHaveAttribute('readonly', '');
  await expect(details.getByLabel('Description')).toHaveAttribute('readonly', '');
  await expect(details.getByLabel('Status')).toBeDisabled();
  await expect(details.getByLabel('Priority')).toBeDisabled();
  await expect(details.getByRole('button', { name: 'Delete task' })).toHaveCount(0);
  await expect(details.getByLabel('Write a comment')).toHaveCount(0);
  await expect(details.getByLabel('New checklist item')).toHaveCount(0);
  await v.keyboard.press('Escape');

  // Members screen: a viewer sees the list but no invite, role or remove controls.
  await v.goto(`/projects/${projectId}/members`);
  await expect(v.getByRole('cell', { name: /Owen Owner/ })).toBeVisible();
  await expect(v.getByRole('button', { name: 'Add member' })).toHaveCount(0);
  await expect(v.getByRole('button', { name: /^Remove/ })).toHaveCount(0);
  await expect(v.getByRole('combobox', { name: /^Role of/ })).toHaveCount(0);

  // Forcing a write through the document API: the server refuses it.
  await v.goto(`/projects/${projectId}`);
  await expect(card(v, 'Visible task')).toBeVisible();
  await v.evaluate(() => {
    const hook = (window as unknown as { __fieldboardDebug?: { forceCreateTask: (title: string) => void } }).__fieldboardDebug;
    if (!hook) throw new Error('debug hook missing');
    hook.forceCreateTask('Sneaky viewer task');
  });
  await expect(card(v, 'Sneaky viewer task')).toBeVisible();
  await v.waitForTimeout(3000);
  await expect(syncStatus(v)).not.toHaveText(/All changes saved/);
  // The owner never sees it.
  await a.reload();
  await expect(card(a, 'Visible task')).toBeVisible();
  await expect(column(a, 'To do').getByRole('article', { name: 'Sneaky viewer task' })).toHaveCount(0);

  // The owner manages members on the members screen: promote the viewer, then invite by email.
  await a.goto(`/projects/${projectId}/members`);
  const roleSelect = a.getByRole('combobox', { name: 'Role of Vera Viewer' });
  await expect(roleSelect).toHaveValue('VIEWER');
  await roleSelect.selectOption('MEMBER');
  await a.reload();
  await expect(a.getByRole('combobox', { name: 'Role of Vera Viewer' })).toHaveValue('MEMBER');
  // The last admin cannot be demoted or removed, so the owner's own row has no controls.
  await expect(a.getByRole('combobox', { name: 'Role of Owen Owner' })).toHaveCount(0);
  await a.getByLabel('Email of the person to add').fill('nobody-here@example.com');
  await a.getByRole('button', { name: 'Add member' }).click();
  await expect(a.getByText('No Fieldboard account uses this email yet.')).toBeVisible();
  await ctxA.close();
  await ctxV.close();
});
