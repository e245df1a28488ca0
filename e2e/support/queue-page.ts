// Page objects for the review queue and the change page: what a reviewer looks at, by role and label.
import { expect, type Locator, type Page } from '@playwright/test';

export class QueuePage {
  constructor(readonly page: Page) {}

  async goto(search = '') {
    await this.page.goto(`/queue${search}`);
    await expect(this.page.getByRole('heading', { name: 'Review queue' })).toBeVisible();
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Pending changes' });
  }

  /** Body rows (one per change). */
  get rows(): Locator {
    return this.table.locator('tbody tr');
  }

  get search(): Locator {
    return this.page.getByRole('searchbox', { name: 'Search changes' });
  }

  filter(label: 'Tier' | 'Risk' | 'AI' | 'Team' | 'Service'): Locator {
    return this.page.getByRole('combobox', { name: label });
  }

  tab(name: 'All pending' | 'Needs my review'): Locator {
    return this.page.getByRole('tab', { name });
  }

  get selectedRow(): Locator {
    return this.table.locator('tbody tr[aria-current="true"]');
  }

  /** Waits until every shown row satisfies the check (the list refetches after a filter change). */
  async expectEveryRow(check: (row: Locator) => Promise<void>) {
    await expect(this.rows.first()).toBeVisible();
    const n = await this.rows.count();
    for (let i = 0; i < n; i++) await check(this.rows.nth(i));
  }
}

export class ChangePage {
  constructor(readonly page: Page) {}

  section(name: string): Locator {
    return this.page.getByRole('region', { name });
  }

  get riskFactors(): Locator {
    return this.page.getByRole('list', { name: 'Risk factors, highest first' }).getByRole('listitem');
  }

  get blastGraph(): Locator {
    return this.page.getByTestId('blast-radius-graph');
  }
}
