// Real accounts in the browser: an administrator adds a person on /admin/people with a typed
// password, then sets a generated one (shown once); in a browser of their own, the person's
// first password no longer works and the new one signs them in.
import { emailOf, expect, pageAs, SCREENSHOT_DIR, signIn, test } from './support/fixtures';

// scrypt on every sign-in and password: allow for a busy machine.
test.describe.configure({ timeout: 120_000 });

test('an administrator adds a person and sets their password on /admin/people; the person signs in with it in a new browser', async ({ browser }) => {
  const admin = await pageAs(browser, emailOf('admin'));
  await admin.goto('/admin/people');
  const handle = `rpark-${Date.now().toString(36)}`;
  const email = `${handle}@example.com`;
  const first = 'first password, typed twice';

  // Add the person: the handle follows the e-mail, the level follows the role.
  await admin.getByRole('button', { name: 'Add person' }).click();
  const form = admin.getByRole('region', { name: 'Add person' });
  await form.getByLabel('Name').fill('Robin Park');
  await form.getByLabel('E-mail').fill(email);
  await expect(form.getByLabel('Handle')).toHaveValue(handle);
  await form.getByLabel('Role').selectOption('senior');
  await expect(form.getByLabel('Level')).toHaveValue('7');
  // An engineer (L5, no team): nobody's reviewer suggestions change while other specs run.
  await form.getByLabel('Role').selectOption('engineer');
  await expect(form.getByLabel('Level')).toHaveValue('5');
  await form.getByLabel('Type one').check();
  await form.getByLabel('New password').fill(first);
  await form.getByLabel('Repeat it').fill('first password, typed twice?');
  await expect(form.getByText('The two passwords differ.')).toBeVisible();
  await expect(form.getByRole('button', { name: 'Add person' })).toBeDisabled();
  await form.getByLabel('Repeat it').fill(first);
  await admin.screenshot({ path: `${SCREENSHOT_DIR}/admin-people-add-light.png` });
  await form.getByRole('button', { name: 'Add person' }).click();
  await expect(admin.getByText(`Added Robin Park (${handle}). They can sign in now.`)).toBeVisible();
  const row = admin.locator(`tr[data-handle="${handle}"]`);
  await expect(row).toContainText('Engineer');
  await expect(row).not.toContainText('no password');

  // A generated password, shown once (in the dark theme, for the screenshot).
  await admin.context().addCookies([{ name: 'cs_theme', value: 'dark', url: admin.url() }]);
  await admin.reload();
  await expect(admin.locator('html')).toHaveClass(/dark/);
  await row.getByRole('button', { name: 'Set password' }).click();
  const pwForm = admin.getByRole('form', { name: `Set the password of ${handle}` });
  await expect(pwForm).toContainText('Robin Park is signed out everywhere at once.');
  await pwForm.getByRole('button', { name: 'Set password' }).click();
  const notice = admin.getByTestId('new-password');
  await expect(notice).toContainText('Copy it now: this password is shown only once.');
  await expect(admin.getByText('New password set for Robin Park; 0 sessions ended.')).toBeVisible();
  const password = ((await notice.getByTestId('password-value').textContent()) ?? '').trim();
  expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
  await notice.scrollIntoViewIfNeeded();
  await admin.screenshot({ path: `${SCREENSHOT_DIR}/admin-people-password-dark.png` });

  // The person, in a browser of their own: the first password is gone, the generated one works.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(first);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Wrong email or password.')).toBeVisible();
  await signIn(page, email, password);
  await expect(page.getByTestId('signed-in-person')).toContainText('Robin Park');
  await context.close();

  // Set again: both sessions it opened end (signed out everywhere).
  const again = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const other = await again.newPage();
  await signIn(other, email, password);
  await admin.reload();
  await admin.locator(`tr[data-handle="${handle}"]`).getByRole('button', { name: 'Set password' }).click();
  await admin.getByRole('form', { name: `Set the password of ${handle}` }).getByRole('button', { name: 'Set password' }).click();
  await expect(admin.getByText('New password set for Robin Park; 2 sessions ended.')).toBeVisible();
  await other.goto('/queue');
  await expect(other).toHaveURL(/\/signin/);
  await again.close();
  await admin.context().close();
});
