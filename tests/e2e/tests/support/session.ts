import { expect, type Page } from '@playwright/test';

/** The demo accounts seeded by `annotask-server --demo`. */
export const DEMO_PASSWORD = 'annotask-demo';
export const MANAGER = 'manager@demo.annotask';
export const OWNER = 'owner@demo.annotask';
export const ANNOTATOR = 'annotator1@demo.annotask';

/** Signs in through the form, as a person would, and waits for the projects page. */
export async function signIn(page: Page, email = MANAGER, password = DEMO_PASSWORD) {
  await page.goto('signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/signin/);
}

/**
 * The API's origin: the page's own unless the app is served apart from it (static-site test).
 * API paths below are absolute (`/api/v1/...`), resolved against this.
 */
export function apiOrigin(): string {
  return process.env.API_URL ?? new URL(process.env.BASE_URL ?? 'http://127.0.0.1').origin;
}

/** An absolute URL of an API path such as `/api/v1/projects`. */
export function apiUrl(path: string): string {
  return apiOrigin() + path;
}

/** A token for direct API checks (the same endpoint the app uses). */
export async function apiToken(page: Page, email = MANAGER, password = DEMO_PASSWORD): Promise<string> {
  const resp = await page.request.post(apiUrl('/token?default'), {
    data: { type: 'user_credentials', username: email, password },
  });
  expect(resp.ok()).toBeTruthy();
  return (await resp.json()).id_token;
}
