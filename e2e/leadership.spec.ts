// What leadership reads: a director filters the audit trail with the chain verified, opens
// compliance and the weekly report, steps back a week and downloads it as Markdown; an
// engineer is refused the audit pages. Screenshots of each page, light and dark.
import fs from 'node:fs';
import { emailOf, expect, pageAs, SCREENSHOT_DIR, test } from './support/fixtures';

const STORY_WEEK = '2026-W10';
// Compliance over a year and a cold report do real work; on a busy CI machine allow for it.
const SLOW = { timeout: 30_000 };
test.describe.configure({ timeout: 150_000 });

async function shootCharts(page: import('@playwright/test').Page, path: string) {
  await page.locator('#charts').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path });
}

test('a director audits, checks compliance, reads the weekly report and downloads it', async ({ browser }) => {
  const page = await pageAs(browser, emailOf('asaleh'));
  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Audit trail' })).toBeVisible();
  const badge = page.getByTestId('chain-badge');
  await expect(badge).toHaveAttribute('data-state', 'ok', { timeout: 30_000 });
  await expect(badge).toContainText(/Audit chain verified — [\d,]+ events/);

  // Filter the timeline: the bypasses on Tier-1 services.
  await page.getByLabel('Kind').selectOption('bypass');
  await page.getByLabel('Tier').selectOption('1');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/kind=bypass/);
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toBeVisible();
  const actions = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
  expect(actions.length).toBeGreaterThan(0);
  expect(new Set(actions)).toEqual(new Set(['deployment.bypassed']));
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', /\/api\/v1\/audit\/export\.csv\?.*kind=bypass/);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/audit-light.png` });

  // Compliance.
  await page.getByRole('link', { name: 'Compliance' }).click();
  await expect(page.getByRole('heading', { name: 'Compliance', level: 1 })).toBeVisible(SLOW);
  await expect(page.getByTestId('stat-two-person')).toContainText('%');
  await expect(page.getByTestId('bypasses')).toBeVisible();
  await page.getByRole('link', { name: '1 year' }).click();
  await expect(page.getByTestId('bypass-row').first()).toBeVisible(SLOW);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/compliance-light.png` });

  // The weekly report opens on the last complete week; step back one week.
  await page.getByRole('link', { name: 'Reports', exact: true }).click();
  await expect(page).toHaveURL(/\/reports\/weekly\/\d{4}-W\d{2}$/);
  await expect(page.getByRole('heading', { name: 'What leaders must discuss' })).toBeVisible(SLOW);
  const week = page.url().split('/').pop()!;
  await page.getByRole('link', { name: /^Previous week/ }).click();
  await expect(page).not.toHaveURL(new RegExp(`${week}$`));
  await expect(page.getByTestId('weekly-report')).toBeVisible(SLOW);
  const previous = page.url().split('/').pop()!;

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Markdown' }).click()]);
  expect(download.suggestedFilename()).toBe(`twist-${previous}.md`);
  const md = fs.readFileSync((await download.path())!, 'utf8');
  expect(md).toContain(`# This Week in Stores Tech — ${previous}`);
  expect(md).toContain('## What leaders must discuss');

  // The story week: the config push, its impact and the change behind it, first.
  await page.goto(`/reports/weekly/${STORY_WEEK}`);
  const discuss = page.getByTestId('discuss-list');
  await expect(discuss.getByRole('listitem').first()).toContainText('MI-2026-005', SLOW);
  await expect(discuss.getByRole('listitem').first()).toContainText('6.3 million orders lost');
  await expect(page.getByTestId('report-incident').first()).toContainText('gate bypassed');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/report-light.png` });
  await shootCharts(page, `${SCREENSHOT_DIR}/report-charts-light.png`);
  await page.context().close();
});

test('an engineer is refused the audit pages but reads the weekly report', async ({ browser }) => {
  const page = await pageAs(browser, emailOf('kchen'));
  await expect(page.getByRole('link', { name: 'Audit', exact: true })).toHaveCount(0);
  for (const path of ['/audit', '/audit/compliance']) {
    const res = await page.goto(path);
    expect(res?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'You do not have access to this page' })).toBeVisible();
  }
  const csv = await page.request.get('/api/v1/audit/export.csv');
  expect(csv.status()).toBe(403);
  await page.goto(`/reports/weekly/${STORY_WEEK}`);
  await expect(page.getByRole('heading', { name: 'What leaders must discuss' })).toBeVisible(SLOW);
  await page.context().close();
});

test('the leadership pages in dark mode', async ({ browser }) => {
  const page = await pageAs(browser, emailOf('mgrant'), { colorScheme: 'dark' });
  await page.goto('/audit?kind=approval&team=checkout');
  await expect(page.getByTestId('chain-badge')).toHaveAttribute('data-state', 'ok', { timeout: 30_000 });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/audit-dark.png` });
  // Re-hash every event on demand: still verified, with the same filters kept.
  await page.getByRole('button', { name: 'Verify all again' }).click();
  await expect(page.getByTestId('chain-badge')).toContainText('full check just now', SLOW);
  await expect(page).toHaveURL(/kind=approval/);
  await page.goto('/audit/compliance');
  await expect(page.getByTestId('stat-two-person')).toBeVisible(SLOW);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/compliance-dark.png` });
  await page.goto(`/reports/weekly/${STORY_WEEK}`);
  await expect(page.getByTestId('discuss-list')).toBeVisible(SLOW);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/report-dark.png` });
  await shootCharts(page, `${SCREENSHOT_DIR}/report-charts-dark.png`);
  await page.context().close();
});
