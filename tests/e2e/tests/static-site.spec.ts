import { test, expect } from '@playwright/test';
import { MANAGER, DEMO_PASSWORD } from './support/session';

// Runs against `cargo xtask dist` output on a plain static file server (no SPA fallback),
// with the API on another origin (CORS) — once at the root and once under a sub-path.
// BASE_URL ends with the public URL, so every path here is relative to it.

test('sign in and reach the projects through the static site', async ({ page }) => {
  const cspErrors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) {
      cspErrors.push(msg.text());
    }
  });
  await page.goto('./');
  await expect(page).toHaveURL(/signin/);
  await page.getByLabel('Email').fill(MANAGER);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new URL('projects', process.env.BASE_URL).href);
  await expect(page.getByRole('heading', { name: 'demo' })).toBeVisible();
  expect(cspErrors).toEqual([]);
});

test('a deep link on a host without SPA fallback opens the right page', async ({ page }) => {
  // The file server answers 404.html for this path; it must bring the user into the app at
  // the same path (here via sign-in, which returns to it).
  await page.goto('projects');
  await expect(page).toHaveURL(/signin/);
  await page.getByLabel('Email').fill(MANAGER);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new URL('projects', process.env.BASE_URL).href);
  await expect(page.getByRole('heading', { name: 'demo' })).toBeVisible();
});
