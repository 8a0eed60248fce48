// The app against a server that is slow, hangs, fails or is gone (issue 10): every page says
// what is happening, offers a Retry, and nothing typed into the form is lost. The server is
// the real one; Playwright only holds requests back or stands in for a dead server.
import { expect, test, type Page, type Route } from '@playwright/test';
import { deleteCreated, formSession, type Api, type DemoIds, type TaskFormPage } from './support/task-form';

/** What a loading indicator adds when the server takes longer than 3 s (fetch_state.rs). */
const SLOW = 'The server is slow to answer; still waiting…';
const SLOW_DELAY_MS = 5_000;

let api: Api;
let ids: DemoIds;
let form: TaskFormPage;
const created: string[] = [];

test.beforeEach(async ({ page }) => {
  ({ api, ids, form } = await formSession(page));
});

test.afterEach(() => deleteCreated(api, created));

/** Passes a request on to the real server after `ms`; quietly drops it if the page gave up. */
async function continueAfter(route: Route, ms: number) {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await route.continue().catch(() => {});
}

/** Serves config.json with `requestTimeoutSeconds` set, as a deployment would. */
async function useRequestTimeout(page: Page, seconds: number) {
  await page.route('**/config.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify({ requestTimeoutSeconds: seconds }) }),
  );
}

test('a slow (5 s) server: the pages say they are loading, then that the server is slow, then show the data', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.route('**/api/v1/annotationtasks/query', (route) => continueAfter(route, SLOW_DELAY_MS));
  await page.goto(`projects/${ids.projectId}/datasets/${ids.datasetId}/tasks`);
  const loading = page.getByRole('status').filter({ hasText: 'Loading tasks…' });
  await expect(loading).toBeVisible();
  await expect(loading).not.toContainText(SLOW);
  await expect(loading).toContainText(SLOW, { timeout: 4_500 });
  await expect(page.getByRole('link', { name: 'demo-labeling' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText(SLOW)).toHaveCount(0);

  // The task page too, with its assignments.
  await page.route('**/api/v1/assignments*', (route) => continueAfter(route, SLOW_DELAY_MS));
  await page.getByRole('link', { name: 'demo-labeling' }).click();
  const assignments = page.getByRole('status').filter({ hasText: 'Loading assignments…' });
  await expect(assignments).toContainText(SLOW, { timeout: 4_500 });
  await expect(page.getByRole('heading', { level: 1, name: 'demo-labeling' })).toBeVisible();
  await expect(page.getByText('annotator1@demo.annotask').first()).toBeVisible({ timeout: 15_000 });
});

test('a slow (5 s) server while creating a task: typing goes on, one request is sent, then the task opens', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await form.open(ids);
  // The live count is slow: the form stays usable meanwhile.
  await page.route(`**/api/v1/datasets/${ids.datasetId}/query`, (route) => continueAfter(route, SLOW_DELAY_MS));
  const name = `e2e slow server ${Date.now()}`;
  await form.chooseFolder('/folder2');
  await expect(form.itemCount).toContainText(/Counting the items…|updating…/);
  await form.name.pressSequentially(name, { delay: 5 });
  await form.chooseShortcut('In a week');
  await form.addAssignee('annotator3@');
  await expect(form.name).toHaveValue(name);
  const count = await form.waitForCount();
  expect(count).toBe(
    await api.count(ids.datasetId, {
      filter: { $and: [{ hidden: false }, { type: 'file' }, { dir: '/folder2' }] },
      resource: 'items',
    }),
  );

  // Creating is slow: the button is busy and says so, a second click sends nothing more.
  let posts = 0;
  await page.route('**/api/v1/annotationtasks', (route) => {
    if (route.request().method() === 'POST') posts += 1;
    return continueAfter(route, SLOW_DELAY_MS);
  });
  await form.createButton.click();
  await expect(form.createButton).toBeDisabled();
  await expect(form.createButton).toHaveText('Creating…');
  await form.createButton.click({ force: true });
  await form.name.press('Enter');
  const progress = page.locator('#task-form-progress');
  await expect(progress).toContainText('Creating the task… 0% (sending)');
  await expect(progress).toContainText('The server is slow to answer', { timeout: 4_500 });
  await expect(form.name).toHaveValue(name);

  await page.waitForURL((url) => /\/tasks\/[^/]+$/.test(url.pathname) && !url.pathname.includes('/datasets/'), {
    timeout: 20_000,
  });
  const taskId = new URL(page.url()).pathname.split('/').pop()!;
  created.push(taskId);
  expect(posts).toBe(1);
  const task = await api.get(`/annotationtasks/${taskId}`);
  expect(task.name).toBe(name);
  expect(task.totalItems).toBe(count);
  const sameName = await api.post('/annotationtasks/query', {
    filter: { $and: [{ datasetId: ids.datasetId }, { name }] },
    page: 0,
    pageSize: 10,
    resource: 'tasks',
    context: { projectIds: [ids.projectId] },
  });
  expect(sameName.totalItemsCount).toBe(1);
});

test('a server that does not answer in time: the page says so and Retry loads it', async ({ page }) => {
  test.setTimeout(60_000);
  await useRequestTimeout(page, 2);
  let hang = true;
  await page.route('**/api/v1/annotationtasks/query', (route) =>
    hang ? continueAfter(route, SLOW_DELAY_MS) : route.continue(),
  );
  await page.goto(`projects/${ids.projectId}/datasets/${ids.datasetId}/tasks`);
  const alert = page.getByRole('alert').filter({ hasText: 'Could not load the tasks' });
  await expect(alert).toContainText('The server did not answer within 2 s');
  hang = false;
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('link', { name: 'demo-labeling' })).toBeVisible();
});

test('a count that does not answer in time says so beside the items, and Count again counts', async ({ page }) => {
  test.setTimeout(60_000);
  await useRequestTimeout(page, 2);
  await form.open(ids);
  await form.chooseFolder('/folder1');
  await form.waitForCount();
  let hang = true;
  await page.route(`**/api/v1/datasets/${ids.datasetId}/query`, (route) =>
    hang ? continueAfter(route, SLOW_DELAY_MS) : route.continue(),
  );
  await page.getByRole('radio', { name: 'Whole dataset' }).check();
  await expect(form.itemCount).toContainText('Could not count the items: The server did not answer within 2 s');
  hang = false;
  await form.itemCount.getByRole('button', { name: 'Count again' }).click();
  expect(await form.waitForCount()).toBeGreaterThan(0);
});

test('with the server gone, a reloaded form says so, and Retry brings the form back with everything typed', async ({
  page,
}) => {
  await form.open(ids);
  const name = `e2e server down ${Date.now()}`;
  await form.name.fill(name);
  await form.chooseShortcut('Tomorrow');
  await form.addAssignee('annotator5@');
  await form.chooseFolder('/folder3');
  await form.waitForCount();

  // The server goes away; the user reloads.
  await page.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
  await page.reload();
  const alert = page.getByRole('alert').filter({ hasText: 'Could not load the dataset' });
  await expect(alert).toContainText('Cannot reach the server');

  // Back again: Retry, and the draft is all there.
  await page.unroute('**/api/v1/**');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(form.name).toHaveValue(name);
  await expect(page.getByRole('list', { name: 'Selected assignees' })).toContainText('Annotator 5');
  await expect(page.getByLabel('Folder', { exact: true })).toHaveValue('/folder3');
  await form.waitForCount();
});
