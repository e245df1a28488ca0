// Playwright fixtures: pages signed in as a given demo person, and screenshots kept for review.
import { test as base, expect, type Browser, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'countersign-demo';
/**
 * Where the specs' screenshots go: the tracked docs/screenshots only under `npm run screenshots`
 * (playwright.screenshots.config.ts sets COUNTERSIGN_SCREENSHOTS=1); an ignored folder otherwise,
 * so `npm test` leaves `git status` clean.
 */
export const SCREENSHOT_DIR = process.env.COUNTERSIGN_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-person')).toBeVisible();
}

/** A fresh browser context signed in as someone: two of them make two reviewers. */
export async function pageAs(browser: Browser, email: string, opts: { colorScheme?: 'light' | 'dark'; baseURL?: string } = {}): Promise<Page> {
  // An explicit `baseURL: undefined` would erase the config's default: pass it only when given.
  const context = await browser.newContext({ colorScheme: opts.colorScheme ?? 'light', ...(opts.baseURL ? { baseURL: opts.baseURL } : {}), viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

export function emailOf(handle: string): string {
  return `${handle}@acme-retail.example`;
}

export const test = base;
export { expect };
