// Two-person sign-off in the browser: two seniors in two browser contexts approve the same
// change and the page says "2 of 2 — ready to deploy"; the author sees why they cannot;
// a director breaks glass; an engineer is refused /admin while the admin manages tokens.
import type { Page } from '@playwright/test';
import { emailOf, expect, pageAs, SCREENSHOT_DIR, test } from './support/fixtures';

// Several people sign in per test (scrypt on purpose): allow for a busy CI machine.
test.describe.configure({ timeout: 120_000 });

const DIFF = (label: string) => `diff --git a/src/cart/limits.ts b/src/cart/limits.ts
index 3b18e51..a9c4f2d 100644
--- a/src/cart/limits.ts
+++ b/src/cart/limits.ts
@@ -1,4 +1,4 @@
 // Cart limits
-export const MAX_ITEMS = 50;
+export const MAX_ITEMS = 60; // ${label}
 export const MAX_QUANTITY = 10;
 export const CURRENCY = 'EUR';
`;

/** Submits a change as the signed-in person, through the API the pipelines use. */
async function submitChange(page: Page, opts: { title: string; preDeploy: boolean | null }): Promise<number> {
  const csrf = (await page.locator('meta[name="csrf-token"]').getAttribute('content')) ?? '';
  const externalId = `acme/cart#e2e-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const res = await page.request.post('/api/v1/changes', {
    headers: { 'x-csrf-token': csrf },
    data: {
      externalId,
      title: opts.title,
      services: ['cart'],
      kind: 'code',
      ai: { level: 'assisted', tool: 'copilot' },
      environment: 'production',
      ...(opts.preDeploy === null ? {} : { validation: { preDeploy: opts.preDeploy } }),
      diff: DIFF(externalId),
    },
  });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return ((await res.json()) as { id: number }).id;
}

/** The sign-off panel alone, without the sticky page header drawn over it. */
async function shootPanel(page: Page, file: string): Promise<void> {
  await page.addStyleTag({ content: 'header, nav[aria-label="Sections"] { position: static !important; }' });
  await page.locator('#sign-off').screenshot({ path: `${SCREENSHOT_DIR}/${file}`, animations: 'disabled' });
}

test('two seniors approve the same change in two browsers; the page says 2 of 2 — ready to deploy; the author gets no button', async ({ browser }) => {
  const author = await pageAs(browser, emailOf('kchen'));
  const id = await submitChange(author, { title: 'Raise the cart item limit to 60', preDeploy: true });

  await author.goto(`/changes/${id}`);
  const authorPanel = author.locator('#sign-off');
  await expect(authorPanel.getByTestId('sign-off-headline')).toHaveText('0 of 2 — needs 2 more approvals');
  await expect(authorPanel.getByRole('note')).toHaveText('You are an author of this change: two other people must sign it off.');
  await expect(authorPanel.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  const first = await pageAs(browser, emailOf('mrossi'));
  const second = await pageAs(browser, emailOf('sahmed'));
  await Promise.all([first.goto(`/changes/${id}`), second.goto(`/changes/${id}`)]);

  const p1 = first.locator('#sign-off');
  await p1.getByLabel(/Comment/).fill('Checked the batcher: 60 items fit its 64-item page.');
  await p1.getByRole('button', { name: 'Approve' }).click();
  await expect(p1.getByTestId('sign-off-headline')).toHaveText('1 of 2 — needs one more approval');
  await expect(p1.getByRole('note')).toContainText('You approved this revision.');
  await expect(p1.getByRole('button', { name: 'Withdraw my approval' })).toBeVisible();

  const p2 = second.locator('#sign-off');
  await p2.getByRole('button', { name: 'Approve' }).click();
  await expect(p2.getByTestId('sign-off-headline')).toHaveText('2 of 2 — ready to deploy');
  // The server-rendered panel follows: the gate now allows it, both decisions listed.
  await expect(p2.getByTestId('gate-status')).toContainText('Deploy gate: allowed');
  await expect(p2.locator('[data-decision="approve"][data-standing="true"]')).toHaveCount(2);

  // The other two pages follow without a reload (the panel polls), the gate status with them.
  await expect(first.locator('#sign-off').getByTestId('sign-off-headline')).toHaveText('2 of 2 — ready to deploy', { timeout: 20_000 });
  await expect(first.locator('#sign-off').getByTestId('gate-status')).toContainText('Deploy gate: allowed', { timeout: 20_000 });
  await expect(author.locator('#sign-off').getByTestId('sign-off-headline')).toHaveText('2 of 2 — ready to deploy', { timeout: 20_000 });
  await expect(author.locator('#sign-off').getByRole('button', { name: 'Approve' })).toHaveCount(0);

  await shootPanel(second, 'sign-off-panel-light.png');
  await Promise.all([author, first, second].map((p) => p.context().close()));
});

test('a director breaks glass on a Tier-1 change without pre-deploy validation: shown in red, the gate allows it', async ({ browser }) => {
  // Submitted by kchen, without pre-deploy validation.
  const engineer = await pageAs(browser, emailOf('kchen'));
  const id = await submitChange(engineer, { title: 'Hotfix: stop double-charging carts with vouchers', preDeploy: null });
  await engineer.context().close();
  const director = await pageAs(browser, emailOf('asaleh'), { colorScheme: 'dark' });
  await director.goto(`/changes/${id}`);
  const panel = director.locator('#sign-off');
  await expect(panel.getByTestId('gate-status')).toContainText('Deploy gate: blocked');
  await panel.getByRole('button', { name: 'Break glass…' }).click();
  const form = panel.getByRole('form', { name: 'Open a break-glass override' });
  await expect(form.getByRole('button', { name: 'Open override' })).toBeDisabled();
  await form.getByLabel(/Justification/).fill('SEV-1 INC-2107: voucher carts are charged twice; this is the fix.');
  await form.getByRole('textbox', { name: /^Incident/ }).fill('INC-2107');
  await form.getByRole('button', { name: 'Open override' }).click();

  const banner = panel.getByTestId('break-glass-active');
  await expect(banner).toContainText('Break-glass override active');
  await expect(banner).toContainText('Opened by Ahmed Saleh (Director)');
  await expect(banner).toContainText('“SEV-1 INC-2107: voucher carts are charged twice; this is the fix.”');
  await expect(banner).toContainText('Follow-up review: 0 of 2 seniors');
  await expect(banner).toHaveClass(/bg-red-600/);
  await expect(panel.getByTestId('gate-status')).toContainText('Deploy gate: allowed');
  await shootPanel(director, 'sign-off-panel-dark.png');
  await director.context().close();
});

test('an engineer is refused /admin; the admin creates a pipeline token shown once and sees people and policy', async ({ browser }) => {
  const engineer = await pageAs(browser, emailOf('kchen'));
  const refused = await engineer.goto('/admin/tokens');
  expect(refused?.status()).toBe(403);
  await expect(engineer.getByRole('heading', { name: 'You do not have access to this page' })).toBeVisible();
  await expect(engineer.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await engineer.context().close();

  const admin = await pageAs(browser, emailOf('admin'));
  await admin.goto('/admin');
  await expect(admin).toHaveURL(/\/admin\/tokens$/);
  await expect(admin.getByRole('navigation', { name: 'Administration' }).getByRole('link')).toHaveText(['Tokens', 'People', 'Policy', 'AI detection', 'Catalog']);
  await admin.getByRole('combobox', { name: /^For/ }).selectOption('copilot-swe-agent[bot]');
  await admin.getByRole('textbox', { name: /^Name/ }).fill('checkout deploy pipeline');
  await admin.getByRole('button', { name: 'Create token' }).click();
  const secret = admin.getByTestId('new-token-secret');
  await expect(secret).toContainText('shown only once');
  await expect(secret.getByTestId('token-value')).toHaveText(/^cs_[A-Za-z0-9_-]{20,}$/);
  await expect(admin.getByRole('row', { name: /checkout deploy pipeline/ })).toContainText('gate:read');
  await admin.screenshot({ path: `${SCREENSHOT_DIR}/admin-tokens.png` });

  await admin.getByRole('link', { name: 'People' }).click();
  await expect(admin.locator('tr[data-handle="mrossi"]')).toContainText('Tier-1');
  await admin.screenshot({ path: `${SCREENSHOT_DIR}/admin-people.png` });
  await admin.getByRole('link', { name: 'Policy' }).click();
  await expect(admin.getByText('needs 2 valid approvals', { exact: false })).toBeVisible();
  await admin.context().addCookies([{ name: 'cs_theme', value: 'dark', url: admin.url() }]);
  await admin.reload();
  await expect(admin.locator('html')).toHaveClass(/dark/);
  await expect(admin.getByRole('heading', { name: 'Approvals required' })).toBeVisible();
  await admin.screenshot({ path: `${SCREENSHOT_DIR}/admin-policy-dark.png` });
  await admin.context().close();
});
