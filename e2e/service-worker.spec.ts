// Issue 5, test 7: after one visit the app loads with the network off (service worker), on every route.
// Also checks the installability basics: a complete manifest whose icons are real PNGs of the stated size,
// and takes the manifest's screenshots (copied to client/public/screenshots/ after looking at them).
import { expect, test } from '@playwright/test';
import { card, createProjectViaUi, expectAllSaved, quickAdd, registerViaUi, screenshot, syncStatus, uniqueEmail, waitForServiceWorker } from './helpers.ts';

test('after one visit the app loads with the network off', async ({ page, context }) => {
  await registerViaUi(page, { name: 'Nina North', email: uniqueEmail('sw') });
  const projectId = await createProjectViaUi(page, 'No network needed');
  await quickAdd(page, 'To do', 'Works without signal');
  await expectAllSaved(page);
  await waitForServiceWorker(page);

  await context.setOffline(true);
  // A fresh navigation to each route is answered by the service worker (navigateFallback index.html).
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: /No network needed/ }).first()).toBeVisible();
  await page.goto(`/projects/${projectId}`);
  await expect(card(page, 'Works without signal')).toBeVisible();
  await expect(syncStatus(page)).toContainText('Offline');
  await screenshot(page, 'service-worker-offline-board');
  // Screens and the task dialog are chunks of their own, loaded on demand: a fresh page (nothing preloaded)
  // gets them from the precache too.
  const taskId = await card(page, 'Works without signal').getAttribute('data-task-id');
  await page.goto(`/projects/${projectId}/tasks/${taskId}`);
  await expect(page.getByRole('dialog', { name: 'Works without signal' })).toBeVisible();
  await page.goto('/my-tasks');
  await expect(page.getByRole('heading', { name: 'My tasks', level: 1 })).toBeVisible();
  await page.goto(`/projects/${projectId}/members`);
  await expect(page.getByRole('heading', { name: /Members/, level: 1 })).toBeVisible();
  await context.setOffline(false);
});

test('the manifest is complete and its icons are real PNGs of the stated sizes', async ({ request }) => {
  const res = await request.get('/manifest.webmanifest');
  expect(res.status()).toBe(200);
  const manifest = (await res.json()) as {
    id: string; name: string; short_name: string; start_url: string; scope: string; display: string;
    theme_color: string; background_color: string;
    icons: { src: string; sizes: string; type: string; purpose?: string }[];
    screenshots: { src: string; sizes: string; form_factor?: string }[];
  };
  for (const key of ['id', 'name', 'short_name', 'start_url', 'scope', 'theme_color', 'background_color'] as const) {
    expect(manifest[key], key).toBeTruthy();
  }
  expect(manifest.display).toBe('standalone');
  expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  expect(manifest.icons.some((i) => i.purpose?.includes('maskable'))).toBe(true);
  expect(manifest.screenshots.map((s) => s.form_factor).sort()).toEqual(['narrow', 'wide']);
  for (const image of [...manifest.icons, ...manifest.screenshots]) {
    const file = await request.get(image.src);
    expect(file.status(), image.src).toBe(200);
    const bytes = await file.body();
    expect(bytes.subarray(1, 4).toString('ascii'), image.src).toBe('PNG');
    // IHDR: width and height, big-endian, at bytes 16-23.
    expect(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`, image.src).toBe(image.sizes);
  }
});

test('app screenshots for the manifest (wide and narrow)', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await registerViaUi(page, { name: 'Mia Marsh', email: uniqueEmail('shots') });
  await createProjectViaUi(page, 'North pipeline');
  for (const title of ['Inspect valve chamber 4', 'Order 20 m of hose', 'Replace meter at site B']) await quickAdd(page, 'To do', title);
  await quickAdd(page, 'In progress', 'Dig trench along plot 7');
  await quickAdd(page, 'In review', 'Pressure test report');
  await quickAdd(page, 'Done', 'Survey the route');
  await expectAllSaved(page);
  await waitForServiceWorker(page);
  // The one-time "ready to work offline" note is not part of the product shots.
  const note = page.getByRole('button', { name: 'OK' });
  if (await note.isVisible()) await note.click();
  await page.mouse.click(5, 300);
  await screenshot(page, 'manifest-wide');
  await page.setViewportSize({ width: 360, height: 740 });
  await page.reload(); // start with the first column in view
  await expect(card(page, 'Inspect valve chamber 4')).toBeVisible();
  await expectAllSaved(page);
  await screenshot(page, 'manifest-narrow');
});
