// `npm run screenshots`: the end-to-end specs, writing their screenshots into the tracked
// docs/screenshots (under `npm test` they go to the ignored test-results/screenshots).
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

process.env.COUNTERSIGN_SCREENSHOTS = '1';

export default defineConfig({
  ...base,
  outputDir: 'test-results/screenshots-run',
  reporter: [['list']],
});
