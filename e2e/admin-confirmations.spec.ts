// Two administrators (issue 10): admin A asks to raise a person's level and sees it pending on
// /admin; admin B confirms it there; the level has changed. The person is our own, so other specs
// sharing this database are not affected.
import type { Page } from '@playwright/test';
import { emailOf, expect, pageAs, test } from './support/fixtures';

test.describe.configure({ timeout: 120_000 });

async function csrf(page: Page): Promise<string> {
  return (await page.locator('meta[name="csrf-token"]').getAttribute('content')) ?? '';
}

test('admin A asks for a level raise, admin B confirms it, the level changes', async ({ browser }) => {
  const a = await pageAs(browser, emailOf('admin'));
  await a.goto('/admin/people');
  const handle = `e2e-raise-${Date.now().toString(36)}`;
  const added = await a.request.post('/api/v1/people', {
    headers: { 'x-csrf-token': await csrf(a) },
    data: { handle, name: 'Raise Me', email: `${handle}@example.test`, role: 'engineer', level: 5 },
  });
  expect(added.status()).toBe(201);
  const asked = await a.request.patch(`/api/v1/people/${handle}`, { headers: { 'x-csrf-token': await csrf(a) }, data: { level: 6 } });
  expect(asked.status()).toBe(202);
  const { pending } = await asked.json();

  await a.goto('/admin/people');
  const rowA = a.getByTestId(`confirmation-${pending.id}`);
  await expect(rowA).toContainText(handle);
  await expect(rowA).toContainText('waiting for another administrator');
  await expect(rowA.getByRole('button', { name: 'Confirm' })).toHaveCount(0);

  const b = await pageAs(browser, emailOf('admin2'));
  await b.goto('/admin/people');
  const rowB = b.getByTestId(`confirmation-${pending.id}`);
  await expect(rowB).toContainText(`asked by admin`);
  await rowB.getByRole('button', { name: 'Confirm' }).click();
  await expect(b.getByTestId(`confirmation-${pending.id}`)).toHaveCount(0);

  const people = await (await b.request.get('/api/v1/people')).json();
  expect(people.items.find((p: { handle: string }) => p.handle === handle)).toMatchObject({ level: 6 });
});
