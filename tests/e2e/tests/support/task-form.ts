import { expect, type Locator, type Page } from '@playwright/test';
import { apiToken, apiUrl, signIn } from './session';

/** Ids of the demo project `demo`, its dataset `images` and its task `demo-labeling`. */
export interface DemoIds {
  projectId: string;
  datasetId: string;
  labelingTaskId: string;
}

/** A small authenticated client for checking what the server stored. */
export class Api {
  private constructor(
    private readonly page: Page,
    private readonly token: string,
  ) {}

  static async signIn(page: Page): Promise<Api> {
    return new Api(page, await apiToken(page));
  }

  private headers() {
    return { authorization: `Bearer ${this.token}` };
  }

  async get(path: string): Promise<any> {
    const resp = await this.page.request.get(apiUrl(`/api/v1${path}`), { headers: this.headers() });
    expect(resp.ok(), `GET ${path}: ${resp.status()}`).toBeTruthy();
    return resp.json();
  }

  async post(path: string, data: unknown): Promise<any> {
    const resp = await this.page.request.post(apiUrl(`/api/v1${path}`), { headers: this.headers(), data });
    expect(resp.ok(), `POST ${path}: ${resp.status()}`).toBeTruthy();
    return resp.json();
  }

  /** Deletes a task (and its assignments), as `task.delete()` does. */
  async deleteTask(id: string): Promise<void> {
    const resp = await this.page.request.delete(apiUrl(`/api/v1/annotationtasks/${id}`), {
      headers: this.headers(),
      data: { asynced: true },
    });
    expect(resp.ok(), `DELETE task ${id}: ${resp.status()}`).toBeTruthy();
  }

  async demoIds(): Promise<DemoIds> {
    const projects: any[] = await this.get('/projects');
    const project = projects.find((p) => p.name === 'demo');
    expect(project, 'the demo project').toBeTruthy();
    const datasets = await this.post('/datasets/query', {
      filter: { $and: [{ name: 'images' }] },
      page: 0,
      pageSize: 1000,
      resource: 'datasets',
      context: { projects: [project.id] },
    });
    const dataset = datasets.items[0];
    const tasks = await this.post('/annotationtasks/query', {
      filter: { $and: [{ datasetId: dataset.id }, { name: 'demo-labeling' }] },
      page: 0,
      pageSize: 500,
      resource: 'tasks',
      context: { projectIds: [project.id] },
    });
    return { projectId: project.id, datasetId: dataset.id, labelingTaskId: tasks.items[0].id };
  }

  /** How many items a DQL query selects in a dataset. */
  async count(datasetId: string, query: unknown): Promise<number> {
    const page = await this.post(`/datasets/${datasetId}/query`, { ...(query as object), page: 0, pageSize: 1 });
    return page.totalItemsCount;
  }
}

/** The create-task form, driven through its labels and roles as a person would. */
export class TaskFormPage {
  constructor(readonly page: Page) {}

  /** Opens the form for the demo dataset, optionally with the QA prefill of the task page. */
  async open(ids: DemoIds, query = ''): Promise<void> {
    await this.page.goto(`projects/${ids.projectId}/datasets/${ids.datasetId}/tasks/new${query}`);
    await expect(this.page.getByRole('heading', { name: 'New task', level: 1 })).toBeVisible();
    await expect(this.createButton).toBeVisible();
  }

  get name(): Locator {
    return this.page.getByLabel('Task name');
  }
  get dueDate(): Locator {
    return this.page.getByLabel('Due date', { exact: true });
  }
  get assignees(): Locator {
    return this.page.getByRole('combobox', { name: 'Assignees' });
  }
  get createButton(): Locator {
    return this.page.getByRole('button', { name: /^(Create task|Creating…)$/ });
  }
  get itemCount(): Locator {
    return this.page.locator('#items-count');
  }
  get problems(): Locator {
    return this.page.getByRole('alert').filter({ hasText: /before creating the task/ });
  }
  get failure(): Locator {
    return this.page.getByRole('alert').filter({ hasText: 'The task was not created.' });
  }

  /** The messages shown beside a field (its accessible description includes them). */
  async expectFieldError(field: Locator, message: string | RegExp): Promise<void> {
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(message instanceof RegExp ? message : new RegExp(escape(message)));
  }

  async chooseShortcut(label: 'Tomorrow' | 'In a week' | 'End of month'): Promise<void> {
    await this.page.getByRole('group', { name: 'Due date shortcuts' }).getByRole('button', { name: label }).click();
  }

  /** The due date the input holds, as epoch milliseconds in the browser's time zone. */
  async dueDateMs(): Promise<number> {
    const value = await this.dueDate.inputValue();
    return this.page.evaluate((v) => new Date(v).getTime(), value);
  }

  /** Adds a member by typing (part of) their name or e-mail and pressing Enter. */
  async addAssignee(search: string): Promise<void> {
    await this.assignees.fill(search);
    await expect(this.page.getByRole('listbox', { name: 'Members to assign' })).toBeVisible();
    await this.assignees.press('Enter');
    await expect(this.page.getByRole('list', { name: 'Selected assignees' })).toBeVisible();
    await this.assignees.fill('');
    await this.assignees.press('Escape');
  }

  async customLoads(loads: Record<string, number>): Promise<void> {
    await this.page.getByRole('radio', { name: 'Custom percentages' }).check();
    for (const [name, load] of Object.entries(loads)) {
      await this.page.getByLabel(`Load for ${name} (%)`).fill(String(load));
    }
  }

  async chooseFolder(path: string, subfolders = false): Promise<void> {
    await this.page.getByRole('radio', { name: 'One folder' }).check();
    await this.page.getByLabel('Folder', { exact: true }).selectOption(path);
    if (subfolders) {
      await this.page.getByLabel('Include sub-folders').check();
    }
  }

  async addStatus(name: string, color: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Add status' }).click();
    const row = this.page.getByRole('list', { name: 'Custom statuses' }).getByRole('listitem').last();
    await row.getByLabel(/^Status \d+ name$/).fill(name);
    await row.getByLabel(/^Status \d+ colour$/).fill(color);
  }

  /** Waits until the live count shows a number, and returns it. */
  async waitForCount(): Promise<number> {
    await expect(this.itemCount).toHaveText(/^[\d,]+ items? will be in the task\.$/);
    const text = (await this.itemCount.textContent()) ?? '';
    return Number(text.replace(/[^\d]/g, ''));
  }

  /** Presses "Create task" and waits for the new task's page; returns its id. */
  async createAndOpen(): Promise<string> {
    await this.createButton.click();
    // Under a sub-path too (static-site test): the path ends with /tasks/<id>.
    // (the form itself is .../datasets/<id>/tasks/new, which must not count).
    await this.page.waitForURL(
      (url) => /\/tasks\/[^/]+$/.test(url.pathname) && !url.pathname.includes('/datasets/'),
    );
    return new URL(this.page.url()).pathname.split('/').pop()!;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What a create-task suite works with: an API client, the demo ids and the form. */
export interface FormSession {
  api: Api;
  ids: DemoIds;
  form: TaskFormPage;
}

/** Signs the manager in through the form and gets the API client, demo ids and form ready. */
export async function formSession(page: Page): Promise<FormSession> {
  await signIn(page);
  const api = await Api.signIn(page);
  return { api, ids: await api.demoIds(), form: new TaskFormPage(page) };
}

/** Deletes the tasks a test created (and empties the list), so other suites find the demo data as seeded. */
export async function deleteCreated(api: Api, created: string[]): Promise<void> {
  for (const id of created.splice(0)) {
    await api.deleteTask(id);
  }
}
