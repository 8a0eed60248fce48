import { defineConfig } from '@playwright/test';

// The server is started by `cargo xtask test`, which passes its address in BASE_URL.
const baseURL = process.env.BASE_URL;
if (!baseURL) {
  throw new Error('BASE_URL is not set: run the suite through `cargo xtask test`');
}

export default defineConfig({
  testDir: './tests',
  // The static-site spec runs only against a dist served apart from the API (STATIC_SITE=1).
  testIgnore: process.env.STATIC_SITE ? [] : ['**/static-site.spec.ts'],
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium; Playwright's own browser download is not possible here.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
