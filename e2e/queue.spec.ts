// The senior engineer's queue: filters kept in the URL, search, "Needs my review", keyboard navigation,
// opening a change; screenshots in light and dark for review.
import { MAIN_URL } from '../playwright.config';
import { emailOf, expect, pageAs, SCREENSHOT_DIR, signIn, test } from './support/fixtures';
import { QueuePage } from './support/queue-page';

// Each test drives a real server on a freshly seeded database; a busy CI machine needs the headroom.
test.describe.configure({ timeout: 120_000 });

test('filters narrow the queue, live in the URL and survive a reload', async ({ page }) => {
  await signIn(page, emailOf('dkowalski'));
  const queue = new QueuePage(page);
  await queue.goto();
  const all = await queue.rows.count();
  expect(all).toBeGreaterThan(30);

  await queue.filter('Risk').selectOption('critical');
  await expect(page).toHaveURL(/[?&]risk=critical/);
  await expect.poll(() => queue.rows.count()).toBeLessThan(all);
  await queue.expectEveryRow(async (row) => expect(row.getByText('Critical')).toBeVisible());

  await queue.filter('Tier').selectOption('1');
  await expect(page).toHaveURL(/tier=1/);
  await queue.expectEveryRow(async (row) => expect(row.getByText('T1').first()).toBeVisible());

  // A shared link reproduces the view.
  await page.reload();
  await expect(queue.filter('Risk')).toHaveValue('critical');
  await expect(queue.filter('Tier')).toHaveValue('1');
  await queue.expectEveryRow(async (row) => expect(row.getByText('Critical')).toBeVisible());

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/queue$/);
  await expect.poll(() => queue.rows.count()).toBe(all);

  await queue.filter('Service').selectOption('config-service');
  await queue.expectEveryRow(async (row) => expect(row.getByText('config-service', { exact: true })).toBeVisible());
  await queue.filter('Service').selectOption('');

  await queue.search.fill('README');
  await expect(page).toHaveURL(/q=README/);
  await queue.expectEveryRow(async (row) => expect(row.getByRole('link')).toContainText(/readme/i));

  await queue.search.fill('no change is called this');
  await expect(page.getByText('No pending change matches these filters')).toBeVisible();
  await page.getByRole('button', { name: 'clear the filters' }).click();
  await expect.poll(() => queue.rows.count()).toBe(all);
});

test('"Needs my review" lists what waits for the signed-in senior', async ({ page }) => {
  await signIn(page, emailOf('dkowalski')); // core-platform: owns config-service and k8s-platform
  const queue = new QueuePage(page);
  await queue.goto();
  await queue.tab('Needs my review').click();
  await expect(page).toHaveURL(/reviewer=me/);
  await expect(queue.tab('Needs my review')).toHaveAttribute('aria-selected', 'true');
  await expect(queue.rows.filter({ hasText: 'config-service' }).first()).toBeVisible();
  await queue.expectEveryRow(async (row) => expect(row.getByLabel('Waiting for your review')).toBeVisible());
  const mine = await queue.rows.count();
  await queue.tab('All pending').click();
  await expect.poll(() => queue.rows.count()).toBeGreaterThan(mine);
});

test('keyboard: j/k move the selection, / focuses the search, Enter opens the change', async ({ page }) => {
  await signIn(page, emailOf('mrossi'));
  const queue = new QueuePage(page);
  await queue.goto();
  await expect(queue.selectedRow).toHaveCount(0);
  await page.keyboard.press('j');
  await expect(queue.rows.nth(0)).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(queue.rows.nth(2)).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('k');
  await expect(queue.rows.nth(1)).toHaveAttribute('aria-current', 'true');
  await expect(queue.selectedRow).toHaveCount(1);

  await page.keyboard.press('/');
  await expect(queue.search).toBeFocused();
  await expect(queue.search).toHaveValue(''); // the slash itself is not typed
  await page.keyboard.press('Escape');
  await expect(queue.search).not.toBeFocused();
  await expect(queue.rows.nth(1)).toHaveAttribute('aria-current', 'true');

  const title = (await queue.rows.nth(1).getByRole('link').textContent())!;
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/changes\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
});

test('screenshots of the queue, light and dark', async ({ browser }) => {
  for (const scheme of ['light', 'dark'] as const) {
    const page = await pageAs(browser, emailOf('dkowalski'), { colorScheme: scheme, baseURL: MAIN_URL });
    const queue = new QueuePage(page);
    await queue.goto();
    await expect(queue.rows.nth(10)).toBeVisible();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/queue-${scheme}.png` });
    await page.context().close();
  }
});
