// Issue 5, test 5: a card moved with the keyboard alone; a card moved with "Move to..." on a phone screen.
import { expect, test } from '@playwright/test';
import { card, column, createProjectViaUi, expectAllSaved, quickAdd, registerViaUi, screenshot, uniqueEmail, untilKeyboardDragListens } from './helpers.ts';

test('a card moved with the keyboard alone', async ({ page }) => {
  await registerViaUi(page, { name: 'Kim Keys', email: uniqueEmail('keys') });
  await createProjectViaUi(page, 'Keyboard board');
  await quickAdd(page, 'To do', 'First task');
  await quickAdd(page, 'To do', 'Second task');

  // Reach the drag handle with Tab from the card's title link, pick up, move right, drop.
  await card(page, 'Second task').getByRole('link', { name: 'Second task' }).focus();
  await page.keyboard.press('Tab');
  const handle = card(page, 'Second task').getByRole('button', { name: 'Drag Second task' });
  await expect(handle).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByText(/Picked up task Second task in To do/)).toBeAttached();
  await untilKeyboardDragListens(page);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByText(/Task Second task is over In progress/)).toBeAttached();
  await page.keyboard.press('Space');
  await expect(column(page, 'In progress').getByRole('article', { name: 'Second task' })).toBeVisible();
  await expect(column(page, 'To do').getByRole('article')).toHaveCount(1);
  await expect(page.getByText(/Task Second task was moved to In progress/)).toBeAttached();

  // Within a column too: move "First task" down below a new third one with ArrowDown.
  await quickAdd(page, 'To do', 'Third task');
  await card(page, 'First task').getByRole('button', { name: 'Drag First task' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/Picked up task First task in To do, position 1 of 2/)).toBeAttached();
  await untilKeyboardDragListens(page);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByText(/Task First task is over To do, position 2 of 2/)).toBeAttached();
  await page.keyboard.press('Enter');
  await expect(column(page, 'To do').getByRole('article')).toHaveText([/Third task/, /First task/]);

  // Undo with the keyboard restores the order (only our own change).
  await page.locator('body').press('Control+z');
  await expect(column(page, 'To do').getByRole('article')).toHaveText([/First task/, /Third task/]);
  await expectAllSaved(page);
  await page.reload();
  await expect(column(page, 'In progress').getByRole('article', { name: 'Second task' })).toBeVisible();
});

test('a card moved with "Move to..." on a 360x740 phone', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await registerViaUi(page, { name: 'Pat Phone', email: uniqueEmail('phone') });
  await createProjectViaUi(page, 'Phone board');
  await quickAdd(page, 'To do', 'Check the tank');
  await quickAdd(page, 'To do', 'Refill diesel');

  const moveButton = card(page, 'Refill diesel').getByRole('button', { name: /^Move to…/ });
  const box = await moveButton.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  await moveButton.click();
  await page.getByRole('menuitem', { name: 'In review: top' }).click();
  await expect(column(page, 'In review').getByRole('article', { name: 'Refill diesel' })).toBeAttached();
  await expect(column(page, 'To do').getByRole('article')).toHaveCount(1);
  // Focus follows the card so the next action starts where the user is.
  await expect(card(page, 'Refill diesel').getByRole('button', { name: /^Move to…/ })).toBeFocused();
  await screenshot(page, 'board-phone-after-move');
  await expectAllSaved(page);
  await page.reload();
  await expect(column(page, 'In review').getByRole('article', { name: 'Refill diesel' })).toBeAttached();
  // The page itself never scrolls sideways: only the columns strip does.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
