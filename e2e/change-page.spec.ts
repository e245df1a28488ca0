// The change page: risk factors, the Terraform plan, the flagged line in the diff, the blast-radius
// graph and table, incident history, watch-outs (and adding one), revisions and sign-offs; 404s;
// screenshots in light and dark for review.
import { MAIN_URL } from '../playwright.config';
import { emailOf, expect, pageAs, SCREENSHOT_DIR, signIn, test } from './support/fixtures';
import { ChangePage, QueuePage } from './support/queue-page';

// Each test drives a real server on a freshly seeded database; a busy CI machine needs the headroom.
test.describe.configure({ timeout: 120_000 });

async function openFromQueue(queue: QueuePage, search: string) {
  await queue.goto(`?q=${encodeURIComponent(search)}`);
  await queue.rows.first().getByRole('link').click();
  await expect(queue.page).toHaveURL(/\/changes\/\d+/);
}

test('the agent’s Terraform plan: critical, every factor explained, the replaced resources in red', async ({ page }) => {
  await signIn(page, emailOf('rlin'));
  const queue = new QueuePage(page);
  await queue.goto();
  // The riskiest change of the seeded queue is the agent's "recreate the environment".
  await queue.rows.first().getByRole('link').click();
  const change = new ChangePage(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('recreate production environment');
  await expect(page.getByText('AI agent').first()).toBeVisible();
  await expect(page.getByTestId('risk-score')).toHaveText('100');

  const factors = change.riskFactors;
  await expect(factors.first()).toContainText('Destructive operations');
  await expect(factors.first()).toContainText('aws_ecs_cluster');
  const points = await factors.locator('span.font-semibold').allTextContents();
  const values = points.map((p) => Number(p.replace('+', '')));
  expect(values).toEqual([...values].sort((a, b) => b - a));
  await expect(factors.filter({ hasText: 'Blast radius' })).toContainText('transitive dependents');

  const plan = change.section('Terraform plan');
  await expect(plan.locator('li[data-action="replace"]').first()).toContainText('aws_ecs_cluster');
  await expect(plan.getByText('destroyed, then created again').first()).toBeVisible();

  await expect(page.getByRole('note', { name: /Risky: Turns off .deletion_protection./ })).toBeVisible();
  await expect(page.getByTestId('gate-status')).toContainText('Deploy gate: blocked');
  await expect(page.getByTestId('approvals-required')).toContainText('0 of 2 valid approvals');
  await expect(page.getByTestId('suggested-reviewers')).toBeVisible();
});

test('a destructive line is flagged inline in the diff, and the risk panel links to it', async ({ page }) => {
  await signIn(page, emailOf('dkowalski'));
  await openFromQueue(new QueuePage(page), 'decommission the blue cluster');
  const note = page.getByRole('note', { name: /Destructive: Runs .*kubectl .*delete namespace/ });
  await expect(note).toBeVisible();
  await expect(page.locator('tr[data-flagged="destructive"]').filter({ hasText: 'delete namespace' })).toBeVisible();
  // Collapse the file, then follow the finding's link: the file opens at the line.
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await expect(note).toBeHidden();
  await page.getByRole('region', { name: 'Risk' }).getByRole('link', { name: /decommission-blue\.sh:\d+/ }).first().click();
  await expect(page.getByRole('note', { name: /Destructive: Runs .*helm/ })).toBeVisible();
});

test('a config change to config-service: its blast radius graph and every dependent with depth and path', async ({ page }) => {
  await signIn(page, emailOf('lnguyen'));
  await openFromQueue(new QueuePage(page), 'config-service: raise global');
  const change = new ChangePage(page);
  const id = /\/changes\/(\d+)/.exec(page.url())![1];
  const api = await (await page.request.get(`/api/v1/changes/${id}`)).json();
  expect(api.blastRadius.tier1).toBeGreaterThan(5);

  await expect(change.blastGraph).toBeVisible();
  await expect(change.blastGraph.locator('g[data-changed]')).toHaveAttribute('data-slug', 'config-service');
  await expect(change.blastGraph.locator('g[data-slug]')).toHaveCount(api.blastRadius.total + 1);
  await expect(page.getByTestId('blast-total')).toHaveText(String(api.blastRadius.total));
  await expect(page.getByTestId('blast-tier1')).toHaveText(String(api.blastRadius.tier1));
  const table = page.getByRole('table', { name: 'Affected services' });
  await expect(table.locator('tbody tr')).toHaveCount(api.blastRadius.total);
  const deep = api.blastRadius.services.find((s: { depth: number }) => s.depth >= 2);
  await expect(table.getByRole('row', { name: new RegExp(`^${deep.slug}\\b`) })).toContainText(deep.path.join(' → '));

  // Incident history and watch-outs around config-service.
  await expect(change.section('Incident history').locator('li[data-incident]').first()).toBeVisible();
  await expect(change.section('Watch-outs')).toContainText('This change touches config-service');
});

test('a senior adds a watch-out from the change page and it shows at once, with why', async ({ page }) => {
  await signIn(page, emailOf('kjohnson'));
  await openFromQueue(new QueuePage(page), 'double consumer concurrency');
  const panel = new ChangePage(page).section('Watch-outs');
  await panel.getByRole('button', { name: 'Add watch-out' }).click();
  const form = page.getByRole('form', { name: 'Add a watch-out' });
  await expect(form.getByRole('combobox', { name: 'Service' })).toHaveValue('order-pipeline');
  const text = 'Above 24 consumers the orders-db connection pool saturates during the sale.';
  await form.getByLabel('What to watch out for').fill(text);
  await form.getByRole('button', { name: 'Add watch-out' }).click();
  await expect(panel.getByRole('status')).toHaveText('Added. It applies here: This change touches order-pipeline.');
  const added = panel.getByRole('listitem').filter({ hasText: text });
  await expect(added).toContainText('Keisha Johnson');
  await expect(added).toContainText('Why here: This change touches order-pipeline');
});

test('older revisions stay viewable, their sign-offs marked superseded', async ({ page }) => {
  await signIn(page, emailOf('vpetrova'));
  await openFromQueue(new QueuePage(page), 'remove redundant channel check');
  const select = page.getByRole('combobox', { name: 'Revision' });
  await expect(select.locator('option', { hasText: 'current' })).toHaveCount(1);
  await select.selectOption('1');
  await expect(page).toHaveURL(/revision=1/);
  await expect(page.getByRole('status').filter({ hasText: 'You are looking at revision 1 of 2' })).toBeVisible();
  await page.getByRole('link', { name: 'Show the current revision' }).click();
  await expect(page).not.toHaveURL(/revision=/);
});

test('an unknown change is a 404 page, not an error', async ({ page }) => {
  await signIn(page, emailOf('mrossi'));
  const res = await page.goto('/changes/987654321');
  expect(res?.status()).toBe(404);
  await expect(page.getByText('Nothing here')).toBeVisible();
  const api = await page.request.get('/api/v1/changes/987654321');
  expect(api.status()).toBe(404);
  expect((await api.json()).error.code).toBe('not_found');
});

test('screenshots of the change page, light and dark', async ({ browser }) => {
  const scrollTo = (page: import('@playwright/test').Page, id: string) => page.evaluate((anchor) => document.getElementById(anchor)?.scrollIntoView({ block: 'start' }), id);
  for (const scheme of ['light', 'dark'] as const) {
    const page = await pageAs(browser, emailOf('dkowalski'), { colorScheme: scheme, baseURL: MAIN_URL });
    const queue = new QueuePage(page);
    await openFromQueue(queue, 'recreate production environment');
    await expect(page.getByTestId('risk-score')).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/change-${scheme}.png` });
    await openFromQueue(queue, 'decommission the blue cluster');
    await scrollTo(page, 'diff');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/change-diff-${scheme}.png` });
    await openFromQueue(queue, 'config-service: raise global');
    await scrollTo(page, 'blast-radius');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/change-blast-${scheme}.png` });
    await page.context().close();
  }
});
