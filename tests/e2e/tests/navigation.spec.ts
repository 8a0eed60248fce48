import { test, expect } from '@playwright/test';
import { apiToken, signIn } from './support/session';
import {
  createTask,
  expectNoAxeViolations,
  openDemoDataset,
  storedSession,
} from './support/navigation';

test('a manager opens the demo task, sees its progress and assignments, and signs out', async ({ page }) => {
  await signIn(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  await expect(page.getByText('1 dataset')).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: 'demo', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'demo' })).toBeVisible();
  await expect(page.getByText('5,000 items')).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole('main').getByRole('link', { name: 'images', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tasks of images' })).toBeVisible();
  const row = page.getByRole('row', { name: /demo-labeling/ });
  await expect(row.getByRole('link', { name: 'demo-labeling' })).toBeVisible();
  const progress = row.getByRole('progressbar', { name: 'Progress of demo-labeling' });
  await expect(progress).toBeVisible();
  // The demo task has statuses on some of its items.
  const percent = Number(await progress.getAttribute('aria-valuenow'));
  expect(percent).toBeGreaterThan(0);
  expect(percent).toBeLessThan(100);
  await expect(progress).toHaveAttribute('aria-valuetext', /of [\d,]+ items/);
  await expect(page.getByRole('link', { name: 'New task' })).toBeVisible();
  await expectNoAxeViolations(page);

  await row.getByRole('link', { name: 'demo-labeling' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'demo-labeling' })).toBeVisible();
  // Keyboard focus starts at the new page's content, as after a full page load.
  await expect(page.getByRole('main')).toBeFocused();
  await expect(page).toHaveTitle('demo-labeling · annotask');
  await expect(page.getByRole('heading', { name: 'Assignments' })).toBeVisible();
  const assignee = page.getByRole('row', { name: /annotator1@demo\.annotask/ });
  await expect(assignee.getByRole('progressbar', { name: 'Progress of annotator1@demo.annotask' })).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Progress of demo-labeling' })).toBeVisible();
  const qa = page.getByRole('link', { name: 'Create QA task' });
  await expect(qa).toHaveAttribute('href', /\/projects\/[^/]+\/datasets\/[^/]+\/tasks\/new\?type=qa&parent=\w+/);
  await expectNoAxeViolations(page);

  // The query as raw JSON and back.
  const toggle = page.getByRole('button', { name: 'Show raw JSON' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByLabel('Items query as JSON')).toContainText('"resource": "items"');
  await expectNoAxeViolations(page);
  await toggle.click();
  await expect(page.getByLabel('Items query as JSON')).toBeHidden();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole('heading', { name: 'Sign in to annotask' })).toBeVisible();
  expect(await storedSession(page)).toEqual({ session: null, local: null });
  // Signed out means signed out: the task page now asks to sign in again.
  await page.goBack();
  await expect(page).toHaveURL(/\/signin\?next=/);
});

test('reload and back/forward keep the page and the list filters', async ({ page }) => {
  await signIn(page);
  await openDemoDataset(page);
  const listUrl = page.url();

  await page.getByLabel('Search by name').fill('demo');
  await expect(page).toHaveURL(/\?q=demo$/);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Tasks of images' })).toBeVisible();
  await expect(page.getByLabel('Search by name')).toHaveValue('demo');
  await expect(page.getByRole('link', { name: 'demo-labeling' })).toBeVisible();

  await page.getByRole('link', { name: 'demo-labeling' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'demo-labeling' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'demo-labeling' })).toBeVisible();

  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Tasks of images' })).toBeVisible();
  await expect(page.getByLabel('Search by name')).toHaveValue('demo');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'demo' })).toBeVisible();
  await page.goForward();
  await expect(page).toHaveURL(listUrl + '?q=demo');
  await expect(page.getByRole('heading', { level: 1, name: 'Tasks of images' })).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1, name: 'demo-labeling' })).toBeVisible();
});

test('the task list filters by type and status and says when nothing matches', async ({ page }) => {
  await signIn(page);
  await openDemoDataset(page);
  await page.getByLabel('Type').selectOption('qa');
  await expect(page).toHaveURL(/type=qa/);
  await expect(page.getByText('No tasks match the search and filters')).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Clear search and filters' }).click();
  await expect(page.getByRole('link', { name: 'demo-labeling' })).toBeVisible();
  await expect(page.getByLabel('Type')).toHaveValue('');

  await page.getByLabel('Status').selectOption('in progress');
  await expect(page.getByRole('link', { name: 'demo-labeling' })).toBeVisible();
  await page.getByLabel('Status').selectOption('completed');
  await expect(page.getByText('No tasks match the search and filters')).toBeVisible();
  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('Sort by').selectOption('name');
  await expect(page).toHaveURL(/sort=name/);
  await expect(page.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'ascending');
});

test('a task name containing HTML is shown as text', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', async (d) => {
    dialogs++;
    await d.dismiss();
  });
  const token = await apiToken(page);
  const name = `<img src=x onerror=alert(1)> ${Date.now()}`;
  const { taskId } = await createTask(page.request, token, name);

  await signIn(page);
  await openDemoDataset(page);
  await page.getByLabel('Search by name').fill(name);
  const link = page.getByRole('link', { name, exact: true });
  await expect(link).toBeVisible();
  await expect(page.getByRole('main').getByRole('img')).toHaveCount(0);

  await link.click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${taskId}$`));
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
  await expect(page.getByRole('main').getByRole('img')).toHaveCount(0);
  await expect(page).toHaveTitle(`${name} · annotask`);
  expect(dialogs).toBe(0);
});

test('the header switcher moves between projects and datasets from the keyboard', async ({ page }) => {
  await signIn(page);
  await openDemoDataset(page);
  const datasetMenu = page.getByRole('button', { name: 'Dataset images' });
  await datasetMenu.focus();
  await page.keyboard.press('Enter');
  await expect(datasetMenu).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('link', { name: /images.*5,000 items/ })).toHaveAttribute('aria-current', 'true');
  await expectNoAxeViolations(page);
  await page.keyboard.press('Escape');
  await expect(datasetMenu).toHaveAttribute('aria-expanded', 'false');
  await expect(datasetMenu).toBeFocused();

  await page.getByRole('button', { name: 'Project demo' }).click();
  await page.getByRole('link', { name: 'All projects' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
});

test('the pages work at 375 px wide, in both themes', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await signIn(page);
  await openDemoDataset(page);
  await expect(page.getByRole('progressbar', { name: 'Progress of demo-labeling' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoAxeViolations(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'demo-labeling' }).click();
  await expect(page.getByRole('heading', { name: 'Assignments' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('the task list fits its frame on a 1280 px screen', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page);
  await openDemoDataset(page);
  await expect(page.getByRole('link', { name: 'demo-labeling' })).toBeVisible();
  const fits = await page.locator('.task-table__wrap').evaluate((wrap) => ({
    table: wrap.querySelector('table')!.getBoundingClientRect().width,
    frame: wrap.clientWidth,
  }));
  expect(fits.table).toBeLessThanOrEqual(fits.frame);
});

test('unknown addresses get a page of their own', async ({ page }) => {
  await signIn(page);
  await page.goto('no/such/page');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'Go to your projects' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
});

test('server failures and network errors show the message and a Retry, never a blank page', async ({ page }) => {
  await signIn(page);
  let failures = 1;
  await page.route('**/api/v1/annotationtasks/query', async (route) => {
    if (failures-- > 0) {
      await route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ status: 503, message: 'the database is busy' }),
      });
    } else {
      await route.continue();
    }
  });
  await openDemoDataset(page);
  const alert = page.getByRole('alert').filter({ hasText: 'Could not load the tasks' });
  await expect(alert).toContainText('the database is busy');
  // The page around the failed list is still there.
  await expect(page.getByRole('link', { name: 'New task' })).toBeVisible();
  await expectNoAxeViolations(page);
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('link', { name: 'demo-labeling' })).toBeVisible();

  await page.route('**/api/v1/projects', (route) => route.abort('connectionrefused'), { times: 1 });
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  const offline = page.getByRole('alert').filter({ hasText: 'Could not load projects' });
  await expect(offline).toContainText('Cannot reach the server');
  await offline.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('heading', { name: 'demo', exact: true })).toBeVisible();
});
