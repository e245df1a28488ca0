import fs from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { SEED_NOW_ISO } from './tests/support/seed-clock';

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
// E2E_PORT_BASE lets two runs share a machine; each server gets its own fresh database.
const PORT = Number(process.env.E2E_PORT_BASE || 3100);
// The servers seed the demo as of the tests' fixed clock, so its data does not depend on the day.
process.env.COUNTERSIGN_SEED_NOW ??= SEED_NOW_ISO;
export const MAIN_URL = `http://127.0.0.1:${PORT}`;
export const EMBEDDED_URL = `http://127.0.0.1:${PORT + 1}`;

export default defineConfig({
  testDir: 'e2e',
  outputDir: process.env.E2E_PORT_BASE ? `test-results/e2e-${PORT}` : 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: MAIN_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], viewport: { width: 1440, height: 900 } } }],
  // The app is built once by `npm test` before this runs; each server gets a fresh database.
  webServer: [
    { command: `node scripts/e2e-server.mjs main ${PORT}`, url: `${MAIN_URL}/api/health`, timeout: 240_000, reuseExistingServer: false, stdout: 'pipe', stderr: 'pipe' },
    { command: `node scripts/e2e-server.mjs embedded ${PORT + 1}`, url: `${EMBEDDED_URL}/api/health`, timeout: 240_000, reuseExistingServer: false, stdout: 'pipe', stderr: 'pipe' },
  ],
});
