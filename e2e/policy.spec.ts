// The admin edits the sign-off policy on /admin/policy: a value below a floor is refused inline
// before anything is sent, a policy nobody could satisfy is refused by the server (inline, and
// nothing saved), a real edit is confirmed, saved, still there after a reload and listed in the
// history and the audit trail. Other specs share this database and run alongside: the edit is
// to the break-glass maximum (no other spec depends on it, and it moves no change's sign-off),
// and the policy is put back whatever happens.
import type { Page } from '@playwright/test';
import { emailOf, expect, pageAs, SCREENSHOT_DIR, test } from './support/fixtures';

test.describe.configure({ timeout: 120_000 });

async function csrf(page: Page): Promise<string> {
  return (await page.locator('meta[name="csrf-token"]').getAttribute('content')) ?? '';
}

/** The policy as the server has it (for putting it back). */
async function currentPolicy(page: Page): Promise<{ policy: { approvals: { breakGlassMaxHours: number } }; version: string }> {
  const res = await page.request.get('/api/v1/policy');
  expect(res.status()).toBe(200);
  return res.json();
}

test('an admin edits the policy: inline errors, confirmation, saved across a reload, listed in the history and the audit trail', async ({ browser }) => {
  const admin = await pageAs(browser, emailOf('admin'));
  const original = await currentPolicy(admin);
  const max = original.policy.approvals.breakGlassMaxHours;
  try {
    await admin.goto('/admin/policy');
    const form = admin.getByRole('form', { name: 'Sign-off policy' });
    await expect(form.getByRole('heading', { name: 'Approvals required' })).toBeVisible();

    // Below the two-person floor: refused inline, nothing to review.
    const tier1 = form.getByLabel('Tier-1 approvals');
    await tier1.fill('1');
    const tier1Row = form.locator('[data-field="approvals.approvalsByTier.1"]');
    await expect(tier1Row.getByTestId('field-error')).toContainText('Cannot be below 2');
    await expect(tier1).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByRole('button', { name: 'Review changes…' })).toBeDisabled();
    await form.getByRole('button', { name: 'Discard' }).click();
    await expect(tier1).toHaveValue('2');

    // A policy no one could satisfy (three approvals from VPs at L10, and there are two): the server refuses it, inline.
    await tier1.fill('3');
    const approvers = form.locator('[data-field="approvals.approverRoles"]');
    await approvers.getByLabel('Senior engineer').uncheck();
    await approvers.getByLabel('Director').uncheck();
    await form.getByLabel('Tier-1 approver level').selectOption('10');
    await form.getByRole('button', { name: 'Review changes…' }).click();
    await form.getByRole('button', { name: 'Save policy' }).click();
    await expect(form.getByTestId('policy-error')).toContainText('Invalid policy');
    await expect(tier1Row.getByTestId('field-error')).toContainText('could give them');
    expect((await currentPolicy(admin)).version).toBe(original.version);
    await form.getByRole('button', { name: 'Discard' }).click();

    // A real edit: the confirmation says exactly what changes.
    const field = form.getByLabel('Break-glass maximum');
    await field.fill(String(max + 1));
    await expect(form.locator('[data-field="approvals.breakGlassMaxHours"]')).toContainText(`was ${max} h`);
    await form.getByRole('button', { name: 'Review changes…' }).click();
    const confirm = form.getByTestId('policy-confirm');
    await expect(confirm).toContainText('Save this change to the policy?');
    await expect(confirm.getByRole('listitem')).toHaveCount(1);
    await expect(confirm.getByRole('listitem')).toContainText(new RegExp(`Break-glass maximum\\s*${max} h.*${max + 1} h`));
    await admin.screenshot({ path: `${SCREENSHOT_DIR}/admin-policy.png` });
    await confirm.getByRole('button', { name: 'Save policy' }).click();
    await expect(form.getByTestId('policy-saved')).toContainText(`Policy saved: Break-glass maximum ${max} h → ${max + 1} h`);

    // Persisted, and in the history (newest first) with who made it.
    await admin.reload();
    await expect(admin.getByRole('form', { name: 'Sign-off policy' }).getByLabel('Break-glass maximum')).toHaveValue(String(max + 1));
    const latest = admin.getByTestId('policy-history-item').first();
    await expect(latest).toContainText('admin');
    await expect(latest).toContainText(new RegExp(`Break-glass maximum\\s*${max} h\\s*→\\s*(to\\s*)?${max + 1} h`));
    await expect(admin.getByRole('region', { name: 'In words' })).toContainText(`at most ${max + 1} hours`);

    // The audit trail shows it, filtered to policy changes.
    await admin.getByTestId('policy-history').getByRole('link', { name: 'In the audit trail' }).click();
    await expect(admin).toHaveURL(/\/audit\?kind=policy/);
    const row = admin.getByTestId('audit-row').first();
    await expect(row).toHaveAttribute('data-action', 'policy.updated');
    await expect(row).toContainText('changed the policy');
    await expect(row).toContainText(`Break-glass maximum ${max} h → ${max + 1} h`);

    // Put it back through the form, as an admin would.
    await admin.goto('/admin/policy');
    const again = admin.getByRole('form', { name: 'Sign-off policy' });
    await again.getByLabel('Break-glass maximum').fill(String(max));
    await again.getByRole('button', { name: 'Review changes…' }).click();
    await again.getByRole('button', { name: 'Save policy' }).click();
    await expect(again.getByTestId('policy-saved')).toBeVisible();
    expect((await currentPolicy(admin)).policy.approvals.breakGlassMaxHours).toBe(max);
  } finally {
    // Whatever failed above, leave the shared database's policy as it was.
    // (A PUT that changes nothing writes nothing: the version is a hash of the content.)
    await admin.goto('/admin/policy');
    const restored = await admin.request.put('/api/v1/policy', { headers: { 'x-csrf-token': await csrf(admin) }, data: original.policy });
    expect(restored.ok(), await restored.text()).toBe(true);
    expect((await currentPolicy(admin)).version).toBe(original.version);
    await admin.context().close();
  }
});
