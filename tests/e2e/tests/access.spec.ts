import { test, expect } from '@playwright/test';
import { ANNOTATOR, OWNER, apiToken, apiUrl, signIn } from './support/session';
import { demoIds, expectNoAxeViolations, openDemoDataset } from './support/navigation';

/** The restricted project's id, as its owner sees it. */
async function restrictedProjectId(page: import('@playwright/test').Page) {
  const token = await apiToken(page, OWNER);
  const resp = await page.request.get(apiUrl('/api/v1/projects'), {
    headers: { Authorization: `Bearer ${token}` },
  });
  const projects = await resp.json();
  const restricted = projects.find((p: { name: string }) => p.name === 'restricted');
  expect(restricted, 'the demo data has a project named restricted').toBeTruthy();
  return restricted.id as string;
}

test('an annotator sees only the demo project, and no way to create tasks', async ({ page }) => {
  await signIn(page, ANNOTATOR);
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'demo', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'restricted' })).toHaveCount(0);
  await expect(page.getByText('Your role: Annotator')).toBeVisible();
  await expectNoAxeViolations(page);

  await openDemoDataset(page);
  await expect(page.getByRole('link', { name: 'demo-labeling' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New task' })).toHaveCount(0);
  await page.getByRole('link', { name: 'demo-labeling' }).click();
  await expect(page.getByRole('heading', { name: 'Assignments' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Create QA task' })).toHaveCount(0);
});

test('the restricted project is not reachable by typing its URL', async ({ page }) => {
  const restrictedId = await restrictedProjectId(page);
  const { datasetId } = await demoIds(page.request, await apiToken(page, ANNOTATOR));
  await signIn(page, ANNOTATOR);

  await page.goto(`projects/${restrictedId}/datasets`);
  await expect(page.getByRole('heading', { level: 1, name: 'Project not found or no access' })).toBeVisible();
  await expect(page.getByText('restricted')).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.goto(`projects/${restrictedId}/datasets/${datasetId}/tasks`);
  await expect(page.getByRole('heading', { level: 1, name: 'Project not found or no access' })).toBeVisible();

  await page.goto('tasks/000000000000000000000000');
  await expect(page.getByRole('heading', { level: 1, name: 'Task not found or no access' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'Go to your projects' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
});

test('a page behind sign-in opens after signing in', async ({ page }) => {
  await page.goto('projects');
  await expect(page).toHaveURL(/\/signin\?next=%2Fprojects$/);
  await page.getByLabel('Email').fill(ANNOTATOR);
  await page.getByLabel('Password').fill('annotask-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  // Sign-in replaced itself in the history: Back does not return to the form.
  await page.goBack();
  await expect(page).not.toHaveURL(/\/signin/);
});
