// Ingestion as an admin and an incident commander see it: a Backstage catalog uploaded on
// /admin/catalog with its report, and the blast radius on a change page that follows it; an
// incident page and linking it to its cause; a GitHub pull request from an unmapped repository
// triaged on /triage. Screenshots in light and dark for review.
import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { FakeGithub } from '../tests/support/fake-github';
import { MAIN_URL } from '../playwright.config';
import { emailOf, expect, pageAs, SCREENSHOT_DIR, test } from './support/fixtures';

// Several sign-ins, imports and page loads per test: generous on a busy machine, quick on a quiet one.
test.describe.configure({ timeout: 150_000 });

const suffix = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;

function catalogYaml(s: string): string {
  return `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: giftcards-${s}
spec:
  type: team
  profile:
    displayName: Gift cards
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: giftcard-api-${s}
  title: Gift card API
  annotations:
    countersign.dev/tier: "1"
    github.com/project-slug: acme/giftcard-api-${s}
spec:
  type: service
  owner: group:giftcards-${s}
  providesApis: [giftcards-${s}]
  dependsOn: [resource:giftcard-db-${s}]
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: giftcard-db-${s}
  annotations:
    countersign.dev/tier: "1"
spec:
  type: database
  owner: group:giftcards-${s}
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: giftcards-${s}
spec:
  type: openapi
  owner: group:giftcards-${s}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: storefront-giftcards-${s}
  annotations:
    countersign.dev/tier: "2"
spec:
  type: website
  owner: group:giftcards-${s}
  consumesApis: [giftcards-${s}]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: legacy-vouchers-${s}
  annotations:
    countersign.dev/tier: "high"
spec:
  type: service
  owner: group:giftcards-${s}
`;
}

const DB_DIFF = `diff --git a/migrations/0003_balance_index.sql b/migrations/0003_balance_index.sql
new file mode 100644
--- /dev/null
+++ b/migrations/0003_balance_index.sql
@@ -0,0 +1,1 @@
+CREATE INDEX CONCURRENTLY giftcard_balance_idx ON giftcards (balance);
`;

async function csrf(page: Page): Promise<string> {
  return (await page.locator('meta[name="csrf-token"]').getAttribute('content')) ?? '';
}

/** An API call as the signed-in person (cookie session + CSRF header). */
async function api(page: Page, path: string, data: unknown) {
  const res = await page.request.post(path, { data, headers: { 'x-csrf-token': await csrf(page) } });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return res.json();
}

async function importCatalog(page: Page, s: string) {
  await page.goto('/admin/catalog');
  await expect(page.getByRole('heading', { name: 'Service catalog' })).toBeVisible();
  await page.getByLabel('Source name').fill(`giftcards-${s}.yaml`);
  await page.getByLabel('YAML').fill(catalogYaml(s));
  await page.getByRole('button', { name: 'Import catalog' }).click();
  const report = page.getByTestId('catalog-report');
  await expect(report).toBeVisible();
  return report;
}

test('an admin uploads a Backstage catalog, sees the report, and the blast radius of a change follows it', async ({ browser }) => {
  const s = suffix();
  const page = await pageAs(browser, emailOf('admin'));
  const report = await importCatalog(page, s);
  await expect(report.getByText('services added')).toBeVisible();
  await expect(report).toContainText(`giftcard-api-${s}`);
  await expect(report).toContainText(`storefront-giftcards-${s} → giftcard-api-${s}`);
  // The invalid entity is listed with its line and reason; the others imported anyway.
  const invalid = report.getByRole('row').filter({ hasText: `legacy-vouchers-${s}` });
  await expect(invalid).toContainText('annotation countersign.dev/tier must be 1, 2 or 3, not "high"');
  await expect(invalid.getByRole('cell').first()).toHaveText(String(catalogYaml(s).split('\n').findIndex((l) => l.includes('tier: "high"')) + 1));
  await page.screenshot({ path: `${SCREENSHOT_DIR}/admin-catalog-light.png`, fullPage: true });

  // A change to the database: its blast radius is the graph just imported.
  const change = await api(page, '/api/v1/changes', {
    externalId: `acme/giftcard-db-${s}#1`,
    title: 'Index gift card balances',
    services: [`giftcard-db-${s}`],
    kind: 'schema',
    validation: { preDeploy: true },
    diff: DB_DIFF,
  });
  await page.goto(`/changes/${change.id}`);
  const blast = page.locator('#blast-radius');
  await expect(blast).toContainText(`giftcard-api-${s}`);
  await expect(blast).toContainText(`storefront-giftcards-${s}`);
  await page.context().close();

  const dark = await pageAs(browser, emailOf('admin'), { colorScheme: 'dark' });
  await importCatalog(dark, suffix());
  await dark.screenshot({ path: `${SCREENSHOT_DIR}/admin-catalog-dark.png`, fullPage: true });
  await dark.context().close();
});

test('an engineer cannot open the catalog admin or triage pages', async ({ browser }) => {
  const page = await pageAs(browser, emailOf('kchen'));
  for (const path of ['/admin/catalog', '/triage']) {
    const res = await page.goto(path);
    expect(res?.status()).toBe(403);
  }
  await page.context().close();
});

test('an incident page shows what broke; a senior links it to the change that caused it', async ({ browser }) => {
  // The seeded story incident: its impact and its cause.
  const reader = await pageAs(browser, emailOf('kchen'));
  await reader.goto('/incidents/MI-2026-004');
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText('Wrong delivery promises in carts: 120,000 lost orders');
  await expect(reader.locator('#impact')).toContainText('120k');
  await expect(reader.locator('#cause')).toContainText('Caused by');
  await expect(reader.getByRole('button', { name: /Link as the cause|Change the cause/ })).toHaveCount(0);
  await reader.screenshot({ path: `${SCREENSHOT_DIR}/incident-light.png`, fullPage: true });
  await reader.context().close();

  // Someone who may change the cause starts from the recorded cause, not from another change:
  // the primary button does nothing until another change is chosen; the page never scrolls sideways.
  const editor = await pageAs(browser, emailOf('admin'));
  await editor.goto('/incidents/MI-2026-004');
  const cause = editor.locator('#cause');
  const causeId = (await cause.locator('a[href^="/changes/"]').first().getAttribute('href'))!.split('/').pop()!;
  await expect(cause.getByRole('textbox', { name: /Change id or external id/ })).toHaveValue(causeId);
  await expect(cause.getByRole('button', { name: 'Change the cause' })).toBeDisabled();
  const radios = cause.getByRole('radio');
  for (let i = 0; i < (await radios.count()); i++) {
    const r = radios.nth(i);
    if ((await r.getAttribute('value')) === causeId) await expect(r).toBeChecked();
    else await expect(r).not.toBeChecked();
  }
  expect(await editor.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await editor.context().close();

  // A new incident on services of our own (the demo's changes are left alone), then linked.
  const s = suffix();
  const admin = await pageAs(browser, emailOf('admin'));
  await importCatalog(admin, s);
  const change = await api(admin, '/api/v1/changes', {
    externalId: `acme/giftcard-db-${s}#7`,
    title: 'Drop the unused balance_cache table',
    services: [`giftcard-db-${s}`],
    kind: 'schema',
    diff: DB_DIFF.replace('CREATE INDEX CONCURRENTLY giftcard_balance_idx ON giftcards (balance);', 'DROP TABLE balance_cache;'),
  });
  const incidentId = `INC-${s}`;
  await api(admin, '/api/v1/incidents', {
    id: incidentId,
    title: 'Gift card balances unavailable at checkout',
    severity: 'SEV2',
    started: new Date().toISOString(),
    services: [`giftcard-db-${s}`, `giftcard-api-${s}`],
    impact: 'Customers could not pay with gift cards for 40 minutes.',
    lostOrders: 2300,
    summary: 'A migration dropped a table the API still read.\n\nThe API returned 500 on every balance lookup.',
    lessons: '- Migrations that drop tables ship after the code stops reading them.\n- `DROP TABLE` needs two approvals.',
  });
  await admin.context().close();

  // The gift card services belong to a team of their own: an administrator (or that team) links the cause.
  const senior = await pageAs(browser, emailOf('admin'));
  await senior.goto(`/incidents/${incidentId}`);
  await expect(senior.locator('#cause')).toContainText('No change is recorded as its cause');
  await senior.getByRole('radio', { name: /Drop the unused balance_cache table/ }).check();
  await senior.getByRole('button', { name: 'Link as the cause' }).click();
  await expect(senior.getByRole('status')).toContainText(`Linked to acme/giftcard-db-${s}#7`);
  await expect(senior.locator('#cause')).toContainText('Caused by');
  await expect(senior.locator('#cause')).toContainText('Drop the unused balance_cache table');

  // The change page says so, and offers to link (or unlink) from there too.
  await senior.goto(`/changes/${change.id}`);
  await expect(senior.getByTestId('incident-link')).toContainText('This change is recorded as the cause of');
  await expect(senior.getByTestId('incident-link')).toContainText('Gift card balances unavailable at checkout');
  await senior.context().close();

  const dark = await pageAs(browser, emailOf('nhaddad'), { colorScheme: 'dark' });
  await dark.goto(`/incidents/${incidentId}`);
  await expect(dark.locator('#cause')).toContainText('Caused by');
  await dark.screenshot({ path: `${SCREENSHOT_DIR}/incident-dark.png`, fullPage: true });
  await dark.context().close();
});

test('a pull request from an unmapped repository is triaged: the admin maps it and it is re-submitted', async ({ browser, request }) => {
  const require = createRequire(import.meta.url);
  const examples = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];
  const opened = structuredClone(examples.find((e) => e.name === 'pull_request')!.examples.find((x) => x.action === 'opened')!) as {
    repository: { full_name: string };
    pull_request: { number: number; title: string; head: { sha: string }; user: { login: string; type: string }; base: { repo: { full_name: string } } };
  };
  const repo = `acme-e2e/${suffix()}`;
  opened.repository.full_name = repo;
  opened.pull_request.base.repo.full_name = repo;
  opened.pull_request.title = 'Speed up the store finder map tiles';

  const fake = new FakeGithub();
  fake.token = 'ghp_fake_token_for_tests';
  fake.setPull(repo, {
    pull: opened.pull_request as never,
    diff: 'diff --git a/web/map/tiles.ts b/web/map/tiles.ts\n--- a/web/map/tiles.ts\n+++ b/web/map/tiles.ts\n@@ -1,2 +1,2 @@\n export const TILE_CACHE_SECONDS =\n-  60;\n+  3600;\n',
    commits: [{ sha: opened.pull_request.head.sha, commit: { message: 'Cache map tiles for an hour' }, author: { login: opened.pull_request.user.login, type: 'User' } }],
  });
  await fake.start(new URL(MAIN_URL).port ? Number(new URL(MAIN_URL).port) + 50 : 3150);
  const deliver = async (event: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    const res = await request.post(`${MAIN_URL}/api/webhooks/github`, {
      data: body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', 'e2e-webhook-secret').update(body).digest('hex')}`,
      },
    });
    expect(res.status(), await res.text()).toBe(202);
  };
  try {
    await deliver('pull_request', opened);

    const admin = await pageAs(browser, emailOf('admin'));
    const item = admin.getByTestId('triage-item').filter({ hasText: `${repo}#${opened.pull_request.number}` });
    await expect(async () => {
      await admin.goto('/triage');
      await expect(item).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await expect(item).toContainText('Unmapped');
    await expect(item).toContainText('web/map/tiles.ts');
    await admin.screenshot({ path: `${SCREENSHOT_DIR}/triage-light.png`, fullPage: true });
    const dark = await pageAs(browser, emailOf('admin'), { colorScheme: 'dark' });
    await dark.goto('/triage');
    await dark.screenshot({ path: `${SCREENSHOT_DIR}/triage-dark.png`, fullPage: true });
    await dark.context().close();

    await expect(item.getByLabel(`Paths of ${repo}`)).toHaveValue('web/map/**');
    await item.getByLabel('belong to').selectOption('store-locator');
    await item.getByRole('button', { name: 'Map and re-submit' }).click();
    // Re-submitted with its service: it leaves the triage list.
    await expect(item).toHaveCount(0);
    await admin.goto('/triage');
    await expect(item).toHaveCount(0);
    await expect(admin.getByRole('row').filter({ hasText: repo })).toContainText('store-locator');

    // A senior approves the pull request on GitHub: the change page shows it as context under the
    // sign-off, on the current revision, and says it does not count — no Countersign decision appears.
    const review = structuredClone(examples.find((e) => e.name === 'pull_request_review')!.examples.find((x) => x.action === 'submitted')!) as {
      repository: { full_name: string };
      pull_request: { base: { repo: { full_name: string } } };
      review: Record<string, unknown> & { user: Record<string, unknown> };
    };
    review.repository.full_name = repo;
    review.pull_request.base.repo.full_name = repo;
    review.review = {
      ...review.review,
      id: Date.now(),
      state: 'approved',
      body: 'Looks right: map tiles are immutable per version, an hour of caching is safe.',
      commit_id: opened.pull_request.head.sha,
      submitted_at: new Date().toISOString(),
      user: { ...review.review.user, login: 'mrossi-acme' },
    };
    await deliver('pull_request_review', review);
    const reviews = admin.locator('#github-reviews');
    await expect(async () => {
      await admin.goto(`/changes/${encodeURIComponent(`${repo}#${opened.pull_request.number}`)}`);
      await expect(reviews).toContainText('Approved on GitHub', { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await expect(reviews).toContainText('Marco Rossi');
    await expect(reviews).toContainText('@mrossi-acme');
    await expect(reviews).toContainText(`on revision 1 (commit ${opened.pull_request.head.sha.slice(0, 7)}), the current one`);
    await expect(reviews).toContainText('map tiles are immutable per version');
    await expect(reviews.getByTestId('external-reviews-note')).toContainText('do not count toward Countersign sign-off');
    await expect(admin.locator('#sign-off')).toContainText('No sign-off yet.');
    await reviews.screenshot({ path: `${SCREENSHOT_DIR}/github-reviews-light.png` });
    await admin.context().close();
  } finally {
    await fake.stop();
  }
});
