import { EMBEDDED_URL } from '../playwright.config';
import { emailOf, expect, pageAs, SCREENSHOT_DIR, signIn, test } from './support/fixtures';

test('an anonymous visitor is sent to sign in', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('the app has its icon: linked from every page and served from public/', async ({ page, request }) => {
  await page.goto('/signin');
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', '/favicon.svg');
  const icon = await request.get('/favicon.svg');
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');
  expect(await icon.text()).toContain('aria-label="Countersign"');
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(emailOf('admin'));
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong email or password.' })).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveValue('not-the-password');
});

test('the home page shows the demo organisation’s pending changes, riskiest first', async ({ page }) => {
  await signIn(page, emailOf('admin'));
  await expect(page.getByRole('heading', { name: 'Review queue' })).toBeVisible();
  const rows = page.getByRole('row');
  await expect(rows.nth(1)).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(20);
  await expect(rows.filter({ hasText: 'config-service' }).first()).toBeVisible();
  await expect(rows.nth(1).getByText('Critical')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/home.png`, fullPage: false });
});

test('the embedded database (PGlite) serves the same app with the demo organisation', async ({ browser, request }) => {
  const health = await request.get(`${EMBEDDED_URL}/api/health`);
  expect(await health.json()).toEqual({ ok: true, db: 'pglite' });
  const page = await pageAs(browser, emailOf('admin'), { baseURL: EMBEDDED_URL });
  await expect(page.getByRole('heading', { name: 'Review queue' })).toBeVisible();
  expect(await page.getByRole('row').count()).toBeGreaterThan(20);
  await page.context().close();
});
