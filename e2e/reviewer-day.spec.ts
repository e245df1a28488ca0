// Issue 14, the reviewer's day: a phone-sized screen without sideways scrolling, the queue saying why
// a change is risky and what the gate will block, the status filter, and the keyboard (j/k kept after
// Back, skip links, keys on the change page). Screenshots go to test-results/, never docs/.
import type { Page } from '@playwright/test';
import { emailOf, expect, pageAs, test } from './support/fixtures';

const SHOTS = 'test-results/reviewer-day';

async function queueIds(page: Page, query = ''): Promise<number[]> {
  const res = await page.request.get(`/api/v1/changes?limit=5${query}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { items: { id: number }[] }).items.map((c) => c.id);
}

async function noSidewaysScroll(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  const { scroll, client, culprits } = await page.evaluate(() => {
    const client = document.documentElement.clientWidth;
    // The innermost elements that stick out, to name in the failure.
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > client + 1 && ![...el.children].some((c) => c.getBoundingClientRect().right > client + 1))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)}`);
    return { scroll: document.documentElement.scrollWidth, client, culprits };
  });
  expect(scroll, `${path} is ${scroll}px wide in a ${client}px viewport: ${culprits.join(' | ')}`).toBeLessThanOrEqual(client);
}

test('at 390 and 1440 px no page scrolls sideways, and on a phone the sign-off comes before the long lists', async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await pageAs(browser, emailOf('cmoore'));
  const [first] = await queueIds(page);
  const paths = ['/', '/queue', '/queue?status=all', `/changes/${first}`, '/incidents', '/incidents/MI-2026-004', '/audit', '/reports/weekly'];
  for (const width of [390, 1440]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    for (const path of paths) await noSidewaysScroll(page, path);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/changes/${first}`);
  const signOff = await page.locator('#sign-off').boundingBox();
  const incidents = await page.locator('#incidents').boundingBox();
  const diff = await page.locator('#diff').boundingBox();
  expect(signOff!.y).toBeLessThan(incidents!.y);
  expect(signOff!.y).toBeLessThan(diff!.y);
  // The queue is a list of cards that fit the screen, each saying why it is risky.
  await page.goto('/queue');
  const card = page.locator('[data-queue-card="0"]');
  await expect(card).toBeVisible();
  await expect(card.getByTestId('top-factors')).toBeVisible();
  await page.context().close();
});

test('screenshots of the queue and a change at 1440 and 390 px, light and dark', async ({ browser }) => {
  test.setTimeout(180_000);
  for (const scheme of ['light', 'dark'] as const) {
    const page = await pageAs(browser, emailOf('dkowalski'), { colorScheme: scheme });
    const [first] = await queueIds(page);
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.goto('/queue');
      await expect(page.locator('[data-testid="top-factors"]:visible').first()).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/queue-${width}-${scheme}.png` });
      await page.goto(`/changes/${first}`);
      await expect(page.locator('#sign-off')).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/change-${width}-${scheme}.png` });
    }
    await page.context().close();
  }
});

test('the queue shows top factors in words, and the status filter keeps approved changes in reach', async ({ browser }) => {
  const page = await pageAs(browser, emailOf('dkowalski'));
  await page.goto('/queue');
  const firstRow = page.locator('tr[data-queue-index="0"]');
  await expect(firstRow.getByTestId('top-factors')).toBeVisible();
  await expect(firstRow.getByTestId('top-factors').locator('li').first()).not.toBeEmpty();

  await page.getByLabel('Status').selectOption('approved');
  await expect(page).toHaveURL(/status=approved/);
  await expect(page.getByText('Approved changes waiting to deploy, most dangerous first.')).toBeVisible();
  const approved = await queueIds(page, '&status=approved');
  if (approved.length) await expect(page.locator('tr[data-queue-index="0"]')).toContainText(/approved · waiting to deploy/i);

  await page.getByLabel('Status').selectOption('all');
  await expect(page).toHaveURL(/status=all/);
  await page.goto('/queue?status=deployed');
  await expect(page.getByLabel('Status')).toHaveValue('deployed');
  await page.context().close();
});

test('keyboard: skip link first, j/k kept after Back, keys on the change page with a ? overlay', async ({ browser }) => {
  const page = await pageAs(browser, emailOf('dkowalski'));
  const ids = await queueIds(page);
  await page.goto('/queue');
  await expect(page.locator('tr[data-queue-index="0"]')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();

  await page.locator('h1').click();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(page.locator('tr[data-queue-index="1"]')).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/changes/${ids[1]}$`));
  await page.goBack();
  await expect(page.locator('tr[data-queue-index="1"]')).toHaveAttribute('aria-current', 'true');

  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/changes/${ids[1]}$`));
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Next change in the queue');
  await expect(dialog).toContainText('Jump to Sign-off');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.keyboard.press('g');
  await page.keyboard.press('s');
  await expect(page).toHaveURL(/#sign-off$/);
  await page.keyboard.press('a');
  if (await page.locator('[data-sign-off-comment]').count()) await expect(page.locator('[data-sign-off-comment]')).toBeFocused();
  else await expect(page.getByText('You cannot sign off this revision')).toBeVisible();
  await page.keyboard.press('Escape');

  await page.keyboard.press('n');
  await expect(page).toHaveURL(new RegExp(`/changes/${ids[2]}$`));
  await page.keyboard.press('p');
  await expect(page).toHaveURL(new RegExp(`/changes/${ids[1]}$`));
  await page.context().close();
});
