import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { apiUrl, MANAGER } from './session';

/** Where the app keeps the session (see src/session.rs). */
export const SESSION_KEY = 'annotask.session';

/** No axe-core violations on the page as it is now. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
  expect(summary).toEqual([]);
}

/** The stored session as the app wrote it, from either storage. */
export async function storedSession(page: Page) {
  return page.evaluate((key) => {
    const read = (s: Storage) => {
      const raw = s.getItem(key);
      return raw ? JSON.parse(raw) : null;
    };
    return { session: read(sessionStorage), local: read(localStorage) };
  }, SESSION_KEY);
}

/** Rewrites the stored session (in sessionStorage) with `change` applied. */
export async function patchStoredSession(page: Page, change: Record<string, unknown>) {
  await page.evaluate(
    ({ key, change }) => {
      const s = JSON.parse(sessionStorage.getItem(key) ?? 'null');
      if (!s) throw new Error('no session in sessionStorage');
      sessionStorage.setItem(key, JSON.stringify({ ...s, ...change }));
    },
    { key: SESSION_KEY, change },
  );
}

/** From the projects page: open the demo project, then its `images` dataset's tasks. */
export async function openDemoDataset(page: Page) {
  await page.getByRole('link', { name: 'demo', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'demo' })).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: 'images', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tasks of images' })).toBeVisible();
}

/** The ids the demo data got at seeding (they differ per server). */
export async function demoIds(request: APIRequestContext, token: string) {
  const headers = { Authorization: `Bearer ${token}` };
  const projects = await (await request.get(apiUrl('/api/v1/projects'), { headers })).json();
  const project = projects.find((p: { name: string }) => p.name === 'demo');
  const datasets = await (
    await request.post(apiUrl('/api/v1/datasets/query'), {
      headers,
      data: {
        filter: { $and: [] },
        page: 0,
        pageSize: 1000,
        resource: 'datasets',
        context: { projects: [project.id] },
      },
    })
  ).json();
  const dataset = datasets.items.find((d: { name: string }) => d.name === 'images');
  return { projectId: project.id, datasetId: dataset.id, recipeId: dataset.metadata.system.recipes[0] };
}

/** Creates an annotation task through the API (contract §1) and returns its id. */
export async function createTask(request: APIRequestContext, token: string, name: string) {
  const ids = await demoIds(request, token);
  const headers = { Authorization: `Bearer ${token}` };
  const query = {
    filter: { $and: [{ hidden: false }, { type: 'file' }, { dir: '/folder3' }] },
    page: 0,
    pageSize: 1000,
    resource: 'items',
  };
  const resp = await request.post(apiUrl('/api/v1/annotationtasks'), {
    headers,
    data: {
      name,
      query: JSON.stringify(query),
      taskOwner: MANAGER,
      spec: { type: 'annotation' },
      datasetId: ids.datasetId,
      projectId: ids.projectId,
      recipeId: ids.recipeId,
      assignmentIds: [],
      dueDate: Date.now() + 3 * 24 * 3600 * 1000,
      asynced: true,
      priority: 3,
      workload: [{ assigneeId: 'annotator1@demo.annotask', load: 100 }],
    },
  });
  expect(resp.ok(), await resp.text()).toBeTruthy();
  let command = await resp.json();
  for (let i = 0; i < 50 && command.status !== 'success'; i++) {
    expect(['failed', 'timeout', 'canceled', 'aborted']).not.toContain(command.status);
    await new Promise((r) => setTimeout(r, 200));
    command = await (await request.get(apiUrl(`/api/v1/commands/${command.id}`), { headers })).json();
  }
  expect(command.status).toBe('success');
  return { taskId: command.spec.createdTaskId as string, ...ids };
}
