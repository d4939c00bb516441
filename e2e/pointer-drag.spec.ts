// Cards dragged with a mouse and with a finger (long press, then move), to another column and within one.
// The keyboard path is in keyboard-and-phone.spec.ts.
import { expect, test, type Page } from '@playwright/test';
import { card, column, createProjectViaUi, expectAllSaved, quickAdd, registerViaUi, uniqueEmail } from './helpers.ts';

async function centerOf(page: Page, locator: ReturnType<Page['locator']>) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element has no box');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

test('cards dragged with the mouse, across columns and within a column', async ({ page }) => {
  await registerViaUi(page, { name: 'Mia Mouse', email: uniqueEmail('mouse') });
  await createProjectViaUi(page, 'Mouse board');
  await quickAdd(page, 'To do', 'First task');
  await quickAdd(page, 'To do', 'Second task');

  // Press on the card's meta row (not a link or button), pass the 6 px activation distance, drop on the
  // next column's empty list.
  const from = await centerOf(page, card(page, 'Second task').locator('.card-meta'));
  const to = await centerOf(page, column(page, 'In progress').locator('.column-scroll'));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 10, from.y + 10, { steps: 3 });
  await expect(page.getByText(/Picked up task Second task in To do/)).toBeAttached();
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await expect(page.getByText(/Task Second task is over In progress/)).toBeAttached();
  await page.mouse.up();
  await expect(column(page, 'In progress').getByRole('article', { name: 'Second task' })).toBeVisible();
  await expect(column(page, 'To do').getByRole('article')).toHaveText([/First task/]);
  await expect(page.getByText(/Task Second task was moved to In progress/)).toBeAttached();

  // Within a column: "First task" dragged below a new "Third task".
  await quickAdd(page, 'To do', 'Third task');
  const first = await centerOf(page, card(page, 'First task').locator('.card-meta'));
  const third = card(page, 'Third task');
  const thirdBox = (await third.boundingBox())!;
  await page.mouse.move(first.x, first.y);
  await page.mouse.down();
  await page.mouse.move(first.x, first.y + 10, { steps: 3 });
  await page.mouse.move(first.x, thirdBox.y + thirdBox.height * 0.75, { steps: 10 });
  await expect(page.getByText(/Task First task is over To do, position 2 of 2/)).toBeAttached();
  await page.mouse.up();
  await expect(column(page, 'To do').getByRole('article')).toHaveText([/Third task/, /First task/]);
  await expectAllSaved(page);
  await page.reload();
  await expect(column(page, 'In progress').getByRole('article', { name: 'Second task' })).toBeVisible();
  await expect(column(page, 'To do').getByRole('article')).toHaveText([/Third task/, /First task/]);
});

test('a card dragged with a finger: long press, then move', async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true, viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  try {
    await registerViaUi(page, { name: 'Tia Touch', email: uniqueEmail('touch') });
    await createProjectViaUi(page, 'Touch board');
    await quickAdd(page, 'To do', 'Touched task');

    const from = await centerOf(page, card(page, 'Touched task').locator('.card-meta'));
    const to = await centerOf(page, column(page, 'In progress').locator('.column-scroll'));
    const cdp = await context.newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    await touch('touchStart', from.x, from.y);
    // The touch sensor starts a drag after a 250 ms press that moved less than 8 px (a swipe scrolls instead).
    await page.waitForTimeout(400);
    await touch('touchMove', from.x + 2, from.y + 2);
    await expect(page.getByText(/Picked up task Touched task in To do/)).toBeAttached();
    for (let i = 1; i <= 10; i++) await touch('touchMove', from.x + ((to.x - from.x) * i) / 10, from.y + ((to.y - from.y) * i) / 10);
    await expect(page.getByText(/Task Touched task is over In progress/)).toBeAttached();
    await touch('touchEnd', to.x, to.y);
    await expect(column(page, 'In progress').getByRole('article', { name: 'Touched task' })).toBeVisible();
    await expect(column(page, 'To do').getByRole('article')).toHaveCount(0);
    await expectAllSaved(page);
  } finally {
    await context.close();
  }
});
