import { test, expect } from '@playwright/test';
import { DEMO_PASSWORD, MANAGER, apiToken, signIn } from './support/session';
import {
  expectNoAxeViolations,
  openDemoDataset,
  patchStoredSession,
  storedSession,
} from './support/navigation';

test('a manager signs in and sees the projects from the API', async ({ page }) => {
  await page.goto('/');
  // Not signed in: the app sends us to sign-in.
  await expect(page).toHaveURL(/\/signin/);
  await expectNoAxeViolations(page);
  await page.getByLabel('Email').fill('manager@demo.annotask');
  await page.getByLabel('Password').fill('annotask-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByRole('heading', { name: 'demo' })).toBeVisible();
  // The manager is not a member of the restricted project.
  await expect(page.getByRole('heading', { name: 'restricted' })).toHaveCount(0);
});

test('a wrong password gets a clear message and keeps the email', async ({ page }) => {
  await page.goto('/signin');
  await page.getByLabel('Email').fill('manager@demo.annotask');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue('manager@demo.annotask');
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);
});

test('the token is kept in sessionStorage only, unless "Keep me signed in"', async ({ page }) => {
  await signIn(page);
  let stored = await storedSession(page);
  expect(stored.local).toBeNull();
  expect(stored.session.email).toBe(MANAGER);
  expect(stored.session.token.split('.')).toHaveLength(3);
  // Its expiry comes from the JWT.
  expect(stored.session.expires_at_ms).toBeGreaterThan(Date.now());

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  expect(await storedSession(page)).toEqual({ session: null, local: null });

  await page.getByLabel('Email').fill(MANAGER);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByLabel('Keep me signed in').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  stored = await storedSession(page);
  expect(stored.session).toBeNull();
  expect(stored.local.email).toBe(MANAGER);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  expect(await storedSession(page)).toEqual({ session: null, local: null });
});

test('a token pasted from the platform is checked before it is accepted', async ({ page }) => {
  const token = await apiToken(page);
  await page.goto('signin');
  const tokenTab = page.getByRole('tab', { name: 'Token' });
  // The tabs follow the ARIA pattern: arrow keys move between them.
  await page.getByRole('tab', { name: 'Email and password' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(tokenTab).toBeFocused();
  await expect(tokenTab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Email')).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.getByLabel('Token').fill('not a token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('not a valid token');

  // A JWT with a broken signature is refused by the server.
  await page.getByLabel('Token').fill(token.slice(0, -6) + 'AAAAAA');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('did not accept this token');
  await expect(page.getByLabel('Token')).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);

  await page.getByLabel('Token').fill(`  ${token}\n`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByText(MANAGER)).toBeVisible();
  const stored = await storedSession(page);
  expect(stored.session.token).toBe(token);
  expect(stored.session.refresh_token).toBeNull();
});

test('a refused token leads to sign-in and back to the same page', async ({ page }) => {
  await signIn(page);
  await openDemoDataset(page);
  await page.getByLabel('Search by name').fill('demo');
  await page.getByRole('link', { name: 'demo-labeling' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'demo-labeling' })).toBeVisible();
  const taskUrl = page.url();

  // The server stops accepting the token (here: its signature no longer matches).
  const { session } = await storedSession(page);
  await patchStoredSession(page, { token: session.token.slice(0, -6) + 'AAAAAA' });
  await page.reload();

  await expect(page).toHaveURL(/\/signin\?next=%2Ftasks%2F/);
  await expect(page.getByRole('status').filter({ hasText: 'Your session has expired' })).toBeVisible();
  await page.getByLabel('Email').fill(MANAGER);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(taskUrl);
  await expect(page.getByRole('heading', { level: 1, name: 'demo-labeling' })).toBeVisible();
});

test('the token is refreshed before it runs out, without a request to wait for', async ({ page }) => {
  await signIn(page);
  await openDemoDataset(page);
  const before = (await storedSession(page)).session;
  // Pretend the token runs out in just over two minutes: the app refreshes 2 minutes ahead.
  await patchStoredSession(page, { expires_at_ms: Date.now() + 125_000 });
  const refresh = page.waitForRequest(
    (r) => r.url().includes('/token') && (r.postData() ?? '').includes('refresh_token'),
    { timeout: 20_000 },
  );
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Tasks of images' })).toBeVisible();
  await refresh;
  await expect
    .poll(async () => (await storedSession(page)).session?.expires_at_ms)
    .toBeGreaterThan(Date.now() + 30 * 60_000);
  const after = (await storedSession(page)).session;
  expect(after.refresh_token).toBe(before.refresh_token);
  // Still signed in, still here.
  await expect(page.getByRole('heading', { level: 1, name: 'Tasks of images' })).toBeVisible();
});

test('requests sent together while the token runs out share one refresh', async ({ page }) => {
  await signIn(page);
  await openDemoDataset(page);
  await page.getByRole('link', { name: 'New task' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New task' })).toBeVisible();
  // The form loads the dataset, its members and its tasks at once; with the token a minute
  // from its end, each of them needs a fresh one.
  await patchStoredSession(page, { expires_at_ms: Date.now() + 60_000 });
  const refreshes: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/token') && (r.postData() ?? '').includes('refresh_token')) refreshes.push(r.url());
  });
  await page.reload();
  await expect(page.getByRole('button', { name: 'Create task' })).toBeVisible();
  await expect
    .poll(async () => (await storedSession(page)).session?.expires_at_ms)
    .toBeGreaterThan(Date.now() + 30 * 60_000);
  expect(refreshes).toHaveLength(1);
});

test('a pasted token that expires ends the session with a message', async ({ page }) => {
  const token = await apiToken(page);
  await page.goto('signin');
  await page.getByRole('tab', { name: 'Token' }).click();
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  // Such a token can't be refreshed: when it runs out, the user is asked to sign in again.
  await patchStoredSession(page, { expires_at_ms: Date.now() + 3_000 });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  await expect(page).toHaveURL(/\/signin\?next=%2Fprojects$/, { timeout: 15_000 });
  await expect(page.getByText('Your token has expired')).toBeVisible();
  expect(await storedSession(page)).toEqual({ session: null, local: null });
});
