import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { deleteCreated, formSession, type Api, type DemoIds, type TaskFormPage } from './support/task-form';

let api: Api;
let ids: DemoIds;
let form: TaskFormPage;
/** Tasks a test created; deleted afterwards, so the other suites find the demo data as seeded. */
const created: string[] = [];

test.beforeEach(async ({ page }) => {
  ({ api, ids, form } = await formSession(page));
});

test.afterEach(() => deleteCreated(api, created));

test('creates an annotation task with exactly the values entered', async ({ page }) => {
  const name = `e2e annotation ${Date.now()}`;
  await form.open(ids);

  await form.name.fill(name);
  await form.chooseShortcut('In a week');
  const dueMs = await form.dueDateMs();
  expect(dueMs).toBeGreaterThan(Date.now() + 6 * 86_400_000);
  await page.getByRole('radio', { name: 'High' }).check();
  await form.addAssignee('annotator1@');
  await form.addAssignee('annotator2@');
  await form.chooseFolder('/folder1');
  await form.addStatus('needs review', '#ff8800');

  // The live count is the folder's, and the workload shows each assignee's share of it.
  const count = await form.waitForCount();
  const folderQuery = { filter: { $and: [{ hidden: false }, { type: 'file' }, { dir: '/folder1' }] }, resource: 'items' };
  expect(count).toBe(await api.count(ids.datasetId, folderQuery));
  const workload = page.getByRole('group', { name: 'Workload' });
  await expect(workload.getByRole('row', { name: /Annotator 1/ })).toContainText(String(Math.ceil(count / 2)));
  await expect(workload.getByRole('row', { name: /Annotator 2/ })).toContainText(String(Math.floor(count / 2)));

  const taskId = await form.createAndOpen();
  created.push(taskId);

  const task = await api.get(`/annotationtasks/${taskId}`);
  expect(task.name).toBe(name);
  expect(task.dueDate).toBe(dueMs);
  expect(task.priority).toBe(3);
  expect(task.spec).toEqual({ type: 'annotation' });
  expect(task.metadata).toEqual({ system: {} });
  expect(task.availableActions).toEqual([
    { action: 'completed', color: '#FFFFFF', displayName: 'completed' },
    { action: 'discard', color: '#FFFFFF', displayName: 'discard' },
    { action: 'needs review', color: '#ff8800', displayName: 'needs review' },
  ]);
  expect(JSON.parse(task.query)).toEqual({ ...folderQuery, page: 0, pageSize: 1000 });
  expect(task.totalItems).toBe(count);

  const assignments = await api.get(`/assignments?projects=${ids.projectId}&pageSize=500&taskId=${taskId}`);
  const byAnnotator = Object.fromEntries(assignments.items.map((a: any) => [a.annotator, a.totalItems]));
  expect(byAnnotator).toEqual({
    'annotator1@demo.annotask': Math.ceil(count / 2),
    'annotator2@demo.annotask': Math.floor(count / 2),
  });

  // Created: the draft is gone, the form starts empty next time.
  await form.open(ids);
  await expect(form.name).toHaveValue('');
});

test('creates a QA task of demo-labeling from the task page link', async ({ page }) => {
  await form.open(ids, `?type=qa&parent=${ids.labelingTaskId}`);
  await expect(page.getByRole('radio', { name: /^QA/ })).toBeChecked();
  await expect(page.getByLabel('Parent task', { exact: true })).toHaveValue(ids.labelingTaskId);
  await expect(form.name).toHaveValue('demo-labeling_qa');
  const name = `e2e qa ${Date.now()}`;
  await form.name.fill(name);
  await form.chooseShortcut('Tomorrow');
  const dueMs = await form.dueDateMs();
  await form.addAssignee('annotator3@');

  // The defaults are the parent's items that have a status, as the SDK's create_qa_task.
  const parentClause = {
    'metadata.system.refs': {
      $match: { id: ids.labelingTaskId, type: 'task', metadata: { status: { $exists: true } } },
    },
  };
  const expectedQuery = {
    filter: { $and: [{ hidden: false }, { type: 'file' }, parentClause] },
    page: 0,
    pageSize: 1000,
    resource: 'items',
  };
  const count = await form.waitForCount();
  expect(count).toBeGreaterThan(0);
  expect(count).toBe(await api.count(ids.datasetId, expectedQuery));
  await expect(page.getByRole('list', { name: 'Default statuses' })).toContainText('approved');

  const taskId = await form.createAndOpen();
  created.push(taskId);
  const task = await api.get(`/annotationtasks/${taskId}`);
  expect(task.name).toBe(name);
  expect(task.spec).toEqual({ type: 'qa', parentTaskId: ids.labelingTaskId });
  expect(task.dueDate).toBe(dueMs);
  expect(JSON.parse(task.query)).toEqual(expectedQuery);
  expect(task.totalItems).toBe(count);
  expect(task.availableActions.map((a: any) => a.action)).toEqual(['approved', 'discard']);
});

test('a QA link sets a saved draft aside, and it can be restored', async ({ page }) => {
  await form.open(ids);
  await form.name.fill('annotation draft in progress');
  await expect(page.getByText('draft saved in this browser')).toBeVisible();

  await form.open(ids, `?type=qa&parent=${ids.labelingTaskId}`);
  await expect(form.name).toHaveValue('demo-labeling_qa');
  await expect(page.getByText(/your saved draft “annotation draft in progress” was set aside/)).toBeVisible();
  // Set aside, not lost: a reload still offers it.
  await page.reload();
  await page.getByRole('button', { name: 'Restore it' }).click();
  await expect(form.name).toHaveValue('annotation draft in progress');
  await expect(page.getByRole('radio', { name: /^Annotation/ })).toBeChecked();
});

test('shows every validation error beside its field', async ({ page }) => {
  let posts = 0;
  await page.route('**/api/v1/annotationtasks', (route) => {
    posts += 1;
    return route.continue();
  });
  await form.open(ids);

  // Pristine fields are not shouted at.
  await expect(form.name).toHaveAttribute('aria-invalid', 'false');
  await expect(page.getByText('Enter a task name.')).toHaveCount(0);

  await form.dueDate.fill('2020-01-01T10:00');
  await form.createButton.click();
  await expect(form.problems).toBeVisible();
  await expect(form.problems).toBeFocused();
  await form.expectFieldError(form.name, 'Enter a task name.');
  await form.expectFieldError(form.dueDate, 'The due date must be in the future.');
  await form.expectFieldError(form.assignees, 'Add at least one assignee.');
  await expect(page.getByRole('region', { name: 'Task', exact: true })).toContainText('Needs attention');

  // A name the dataset already has is a warning, not an error.
  await form.name.fill('demo-labeling');
  await expect(form.name).toHaveAttribute('aria-invalid', 'false');
  await expect(form.name).toHaveAccessibleDescription(/already has a task named “demo-labeling”/);

  // Loads that add up to 99.
  await form.name.fill(`e2e validation ${Date.now()}`);
  await expect(form.name).toHaveAttribute('aria-invalid', 'false');
  await form.addAssignee('annotator4@');
  await form.addAssignee('annotator5@');
  await form.customLoads({ 'Annotator 4': 50, 'Annotator 5': 49 });
  const workloadErrors = page.locator('#workload-messages');
  await expect(workloadErrors).toContainText('The loads add up to 99%, not 100%.');
  await expect(page.getByRole('group', { name: 'Workload' })).toContainText('1% left');
  await form.createButton.click();
  await expect(form.problems).toContainText('The loads add up to 99%, not 100%.');
  await expect(form.problems).toContainText('The due date must be in the future.');

  // "Distribute the rest" fixes it.
  await page.getByRole('button', { name: 'Distribute the rest' }).click();
  await expect(page.getByLabel('Load for Annotator 5 (%)')).toHaveValue('50');
  await expect(workloadErrors).toBeEmpty();

  // The error summary links to the field.
  await form.problems.getByRole('link', { name: 'The due date must be in the future.' }).click();
  await expect(form.dueDate).toBeFocused();
  expect(posts).toBe(0);
});

test('the draft survives a reload and can be discarded', async ({ page }) => {
  await form.open(ids);
  await form.name.fill('draft that survives');
  await form.chooseShortcut('End of month');
  const dueValue = await form.dueDate.inputValue();
  await form.addAssignee('annotator6@');
  await form.customLoads({ 'Annotator 6': 100 });
  await form.chooseFolder('/folder2', true);
  await form.addStatus('blurry', '#00aa00');
  await expect(page.getByText('draft saved in this browser')).toBeVisible();

  await page.reload();
  await expect(page.getByText(/Restored your draft/)).toBeVisible();
  await expect(form.name).toHaveValue('draft that survives');
  await expect(form.dueDate).toHaveValue(dueValue);
  await expect(page.getByRole('list', { name: 'Selected assignees' })).toContainText('Annotator 6');
  await expect(page.getByLabel('Load for Annotator 6 (%)')).toHaveValue('100');
  await expect(page.getByRole('radio', { name: 'One folder' })).toBeChecked();
  await expect(page.getByLabel('Folder', { exact: true })).toHaveValue('/folder2');
  await expect(page.getByLabel('Include sub-folders')).toBeChecked();
  await expect(page.getByLabel('Status 3 name')).toHaveValue('blurry');

  await page.getByRole('button', { name: 'Discard draft' }).click();
  await expect(form.name).toHaveValue('');
  await expect(page.getByRole('radio', { name: 'Whole dataset' })).toBeChecked();
  await page.reload();
  await expect(form.name).toHaveValue('');

  // Undo brings it back (before the reload, that is: discarding is deliberate).
  await form.name.fill('second draft');
  await page.getByRole('button', { name: 'Discard draft' }).click();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(form.name).toHaveValue('second draft');
});

for (const failure of ['network', 'server'] as const) {
  test(`keeps the draft and says why when the ${failure} fails at submit`, async ({ page }) => {
    await form.open(ids);
    const name = `e2e ${failure} failure ${Date.now()}`;
    await form.name.fill(name);
    await form.chooseShortcut('In a week');
    await form.addAssignee('annotator7@');
    await form.waitForCount();

    await page.route('**/api/v1/annotationtasks', (route) =>
      failure === 'network'
        ? route.abort('connectionrefused')
        : route.fulfill({
            status: 500,
            contentType: 'application/json',
            body: JSON.stringify({ status: 500, message: 'database is locked' }),
          }),
    );
    await form.createButton.click();
    await expect(form.failure).toBeVisible();
    await expect(form.failure).toContainText(
      failure === 'network' ? 'Cannot reach the server' : 'The server failed (500): database is locked',
    );
    await expect(form.createButton).toBeEnabled();
    await expect(page).toHaveURL(/\/tasks\/new$/);
    await expect(form.name).toHaveValue(name);

    await page.unroute('**/api/v1/annotationtasks');
    await page.reload();
    await expect(form.name).toHaveValue(name);
    await expect(page.getByRole('list', { name: 'Selected assignees' })).toContainText('Annotator 7');
  });
}

test('follows the returned Command until it succeeds, without a double submit', async ({ page }) => {
  await form.open(ids);
  const name = `e2e slow command ${Date.now()}`;
  await form.name.fill(name);
  await form.chooseShortcut('Tomorrow');
  await form.addAssignee('annotator1@');
  await form.waitForCount();

  // The server finishes at once; make its Command look slow: "in-progress" on the POST
  // and on the first two polls.
  let posts = 0;
  let polls = 0;
  await page.route('**/api/v1/annotationtasks', async (route) => {
    posts += 1;
    const response = await route.fetch();
    const command = await response.json();
    await route.fulfill({ response, json: { ...command, status: 'in-progress', progress: 10 } });
  });
  await page.route('**/api/v1/commands/*', async (route) => {
    polls += 1;
    const response = await route.fetch();
    const command = await response.json();
    if (polls <= 2) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await route.fulfill({ response, json: { ...command, status: 'in-progress', progress: 40 * polls } });
    } else {
      await route.fulfill({ response, json: command });
    }
  });

  await form.createButton.click();
  await expect(form.createButton).toBeDisabled();
  await expect(page.getByRole('status').filter({ hasText: /Creating the task… (40|80)% \(in-progress\)/ })).toBeVisible();
  await form.createButton.click({ force: true }).catch(() => {});
  await page.waitForURL((url) => /^\/tasks\/[^/]+$/.test(url.pathname));
  const taskId = new URL(page.url()).pathname.split('/').pop()!;
  created.push(taskId);
  expect(posts).toBe(1);
  expect(polls).toBe(3);
  const task = await api.get(`/annotationtasks/${taskId}`);
  expect(task.name).toBe(name);
});

test('a Command that fails keeps the draft and shows its error', async ({ page }) => {
  await form.open(ids);
  const name = `e2e failed command ${Date.now()}`;
  await form.name.fill(name);
  await form.chooseShortcut('Tomorrow');
  await form.addAssignee('annotator2@');
  await page.route('**/api/v1/annotationtasks', async (route) => {
    const response = await route.fetch();
    const command = await response.json();
    // The real server did create it; the app is told otherwise.
    created.push(command.spec.createdTaskId);
    await route.fulfill({
      response,
      json: { ...command, status: 'failed', error: { message: 'no annotator is available' } },
    });
  });
  await form.createButton.click();
  await expect(form.failure).toContainText('Creating the task ended with status “failed”: no annotator is available');
  await expect(page).toHaveURL(/\/tasks\/new$/);
  await expect(form.name).toHaveValue(name);
});

test('the server refusing a field shows its message beside the field', async ({ page }) => {
  await form.open(ids);
  await form.name.fill(`e2e refused ${Date.now()}`);
  await form.chooseShortcut('In a week');
  await form.addAssignee('annotator8@');
  await page.route('**/api/v1/annotationtasks', (route) =>
    route.fulfill({
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({
        status: 400,
        message: 'invalid task',
        errors: [{ field: 'name', code: 'name.taken', message: 'That name is reserved.' }],
      }),
    }),
  );
  await form.createButton.click();
  await expect(form.failure).toContainText('invalid task');
  await form.expectFieldError(form.name, 'That name is reserved.');
  // Editing the field clears the server's verdict on it.
  await form.name.fill('another name');
  await expect(form.name).toHaveAttribute('aria-invalid', 'false');
});

test('the assignee picker works from the keyboard', async ({ page }) => {
  await form.open(ids);
  await form.assignees.focus();
  await form.assignees.press('ArrowDown');
  const listbox = page.getByRole('listbox', { name: 'Members to assign' });
  await expect(listbox).toBeVisible();
  await expect(listbox.getByRole('option').first()).toHaveAttribute('aria-setsize', '10');
  await form.assignees.pressSequentially('annotator');
  await expect(listbox.getByRole('option')).toHaveCount(8);
  await form.assignees.press('ArrowDown');
  await form.assignees.press('Enter');
  const chips = page.getByRole('list', { name: 'Selected assignees' });
  await expect(chips).toContainText('Annotator 2');
  await expect(form.assignees).toHaveAttribute('aria-activedescendant', /assignees-option-/);
  await form.assignees.press('Escape');
  await expect(listbox).toBeHidden();
  await form.assignees.press('Escape');
  await expect(form.assignees).toHaveValue('');
  await form.assignees.press('Backspace');
  await expect(chips).toBeHidden();
  await page.getByRole('button', { name: /Select all matching/ }).click();
  await expect(page.getByText('10 selected', { exact: true })).toBeVisible();
});

test('the form has no axe violations', async ({ page }) => {
  await form.open(ids);
  await form.waitForCount();
  const check = async (state: string) => {
    const results = await new AxeBuilder({ page }).include('main').analyze();
    expect(results.violations, state).toEqual([]);
  };
  await check('pristine');

  await form.assignees.fill('ann');
  await expect(page.getByRole('listbox', { name: 'Members to assign' })).toBeVisible();
  await check('picker open');
  await form.assignees.press('Enter');
  await form.assignees.press('Escape');

  await form.customLoads({ 'Annotator 1': 40 });
  await page.getByRole('radio', { name: 'Pulling' }).check();
  await form.chooseFolder('/folder3');
  await form.addStatus('', '#123456');
  await page.getByRole('radio', { name: /^QA/ }).check();
  await form.createButton.click();
  await expect(form.problems).toBeVisible();
  await check('after a refused submit');
});
