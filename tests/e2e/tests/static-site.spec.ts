import { test, expect } from '@playwright/test';
import { MANAGER, DEMO_PASSWORD } from './support/session';
import { Api, TaskFormPage } from './support/task-form';

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

test('create a task through the static site, against the API on its own origin', async ({ page }) => {
  const api = await Api.signIn(page);
  const ids = await api.demoIds();
  await page.goto('signin');
  await page.getByLabel('Email').fill(MANAGER);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'demo' })).toBeVisible();

  const form = new TaskFormPage(page);
  await form.open(ids);
  const name = `static site ${Date.now()}`;
  await form.name.fill(name);
  await form.chooseShortcut('Tomorrow');
  await form.addAssignee('annotator3@');
  await form.chooseFolder('/folder2');
  await form.waitForCount();
  const taskId = await form.createAndOpen();
  // The app's URL stays under the public path, and the task is in the API's database.
  expect(new URL(page.url()).pathname).toBe(new URL(`tasks/${taskId}`, process.env.BASE_URL).pathname);
  const task = await api.get(`/annotationtasks/${taskId}`);
  expect(task.name).toBe(name);
  await api.deleteTask(taskId);
});
