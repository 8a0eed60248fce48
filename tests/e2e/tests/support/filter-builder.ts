import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { apiToken, apiUrl } from './session';

/** The contract's DQL examples (docs/dataloop-api.md §4); example 6 completed with the defaults. */
export const CONTRACT_EXAMPLES: string[] = [
  '{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"annotated": true}]}, "sort": {"filename": "ascending"}, "page": 0, "pageSize": 1000, "resource": "items"}',
  '{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"metadata.system.annotationStatus": "approved"}]}, "sort": {"createdAt": "descending"}, "page": 0, "pageSize": 1000, "resource": "items", "join": {"on": {"resource": "annotations", "local": "itemId", "forigen": "id"}, "filter": {"$and": [{"type": "box"}]}}}',
  '{"filter": {"$or": [{"dir": "/folderName1"}, {"dir": "/folderName2"}], "$and": [{"hidden": false}, {"type": "file"}]}, "page": 0, "pageSize": 1000, "resource": "items"}',
  '{"filter": {"$and": [{"hidden": false}, {"type": "file"}]}, "page": 0, "pageSize": 1000, "resource": "items", "join": {"on": {"resource": "annotations", "local": "itemId", "forigen": "id"}, "filter": {"$and": [{"label": {"$in": ["dog", "cat"]}}]}}}',
  '{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"metadata.system.refs": {"$match": {"id": {"$in": ["TASK"]}, "metadata": {"status": {"$exists": false}}}}}]}, "page": 0, "pageSize": 1000, "resource": "items"}',
  '{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"metadata.user": {"$exists": true}}, {"metadata.system.height": {"$gt": 100}}, {"metadata.system.width": {"$lte": 50}}, {"name": {"$nin": ["a.jpg","b.jpg"]}}, {"createdAt": {"$gte": "2024-01-01T00:00:00.000Z"}}, {"metadata.system.mimetype": "image*"}, {"filename": "*.jpg"}]}, "page": 0, "pageSize": 1000, "resource": "items"}',
];

/** JSON text in one canonical layout, key order kept (the order is part of the DQL). */
export function canonical(text: string): string {
  return JSON.stringify(JSON.parse(text));
}

/** The ids of the demo project and its `images` dataset. */
export async function demoDataset(page: Page): Promise<{ projectId: string; datasetId: string; token: string }> {
  const token = await apiToken(page);
  const headers = { Authorization: `Bearer ${token}` };
  const projects = await (await page.request.get(apiUrl('/api/v1/projects'), { headers })).json();
  const project = projects.find((p: { name: string }) => p.name === 'demo');
  const datasets = await (
    await page.request.post(apiUrl('/api/v1/datasets/query'), {
      headers,
      data: { filter: { $and: [] }, page: 0, pageSize: 1000, resource: 'datasets', context: { projects: [project.id] } },
    })
  ).json();
  const dataset = datasets.items.find((d: { name: string }) => d.name === 'images');
  return { projectId: project.id, datasetId: dataset.id, token };
}

/** The server's count for a DQL query, asked directly. */
export async function serverCount(page: Page, datasetId: string, token: string, query: object): Promise<number> {
  const resp = await page.request.post(apiUrl(`/api/v1/datasets/${datasetId}/query`), {
    headers: { Authorization: `Bearer ${token}` },
    data: { ...query, page: 0, pageSize: 1 },
  });
  expect(resp.ok(), await resp.text()).toBeTruthy();
  return (await resp.json()).totalItemsCount;
}

/** The filter builder in the create-task form, driven by labels and roles. */
export class FilterBuilderPage {
  constructor(readonly page: Page) {}

  /** Opens the create-task form of the demo dataset (`query`: e.g. the QA prefill
   * `?type=qa&parent=…`) and chooses Items → "Filter". */
  async open(ids: { projectId: string; datasetId: string }, query = ''): Promise<void> {
    await this.page.goto(`projects/${ids.projectId}/datasets/${ids.datasetId}/tasks/new${query}`);
    await expect(this.page.getByRole('heading', { name: 'New task', level: 1 })).toBeVisible();
    await this.page.getByRole('radio', { name: 'Filter' }).check();
    await expect(this.json).toBeVisible();
    // The fields the dataset adds (user metadata) have arrived.
    await expect(this.page.getByText(/Loading the dataset's/)).toHaveCount(0);
  }

  /** The items filter (its root group and everything in it). */
  get items(): Locator {
    return this.page.getByRole('region', { name: 'Items where' });
  }

  /** The conditions on an item's annotations (the join). */
  get annotations(): Locator {
    return this.page.getByRole('region', { name: 'Annotation conditions' });
  }

  get json(): Locator {
    return this.page.getByLabel('DQL (JSON)');
  }

  /** The form's count of the items the task will get, the one count shown with a filter,
   * e.g. "1,234 items will be in the task." (the builder shows none of its own there). */
  get count(): Locator {
    return this.page.locator('#items-count');
  }

  /** Waits until the count shows a number of items, and returns it. */
  async waitForCount(): Promise<number> {
    await expect(this.count).toHaveText(/^[\d,]+ items? will be in the task\.$/);
    return Number(((await this.count.textContent()) ?? '').replace(/[^\d]/g, ''));
  }

  /** A group by its announced name, e.g. "Any of (OR) group, 2 conditions". */
  group(name: string | RegExp, scope: Locator = this.page.locator('body')): Locator {
    return scope.getByRole('group', { name });
  }

  /** The last condition row inside `scope` (a new row is added at its group's end). */
  lastCondition(scope: Locator): Locator {
    return scope.getByRole('group', { name: /^Condition \d+ of \d+$/ }).last();
  }

  /** Presses a group's own "Add condition" (its last one: nested groups come before it). */
  async addCondition(group: Locator): Promise<Locator> {
    await group.getByRole('button', { name: 'Add condition' }).last().click();
    return this.lastCondition(group);
  }

  async addGroup(group: Locator): Promise<void> {
    await group.getByRole('button', { name: 'Add group' }).last().click();
  }

  /** Searches the field picker of `row` and picks the option named `option`. */
  async pickField(row: Locator, search: string, option: string | RegExp = search): Promise<void> {
    const field = row.getByRole('combobox', { name: 'Field' }).first();
    await field.fill(search);
    await this.page.getByRole('option', { name: option }).first().click();
    await expect(field).toHaveAttribute('aria-expanded', 'false');
  }

  async operator(row: Locator, label: string): Promise<void> {
    await row.getByLabel('Operator').first().selectOption({ label });
  }

  async value(row: Locator, text: string, label: string | RegExp = /^Value/): Promise<void> {
    await row.getByLabel(label).first().fill(text);
  }

  /** Types list values as chips. */
  async chips(row: Locator, values: string[]): Promise<void> {
    const input = row.getByLabel('Values', { exact: true }).first();
    for (const value of values) {
      await input.fill(value);
      await input.press('Enter');
    }
  }

  async addSortKey(search: string, option: string | RegExp, direction: 'Ascending' | 'Descending'): Promise<void> {
    await this.page.getByRole('button', { name: 'Add sort key' }).click();
    const key = this.page.getByRole('group', { name: /^Sort key \d+$/ }).last();
    await key.getByRole('combobox', { name: 'Sort by' }).fill(search);
    await this.page.getByRole('option', { name: option }).first().click();
    await key.getByLabel('Direction').selectOption({ label: direction });
  }

  /** The DQL the JSON view shows, in canonical layout. */
  async dql(): Promise<string> {
    return canonical(await this.json.inputValue());
  }

  async expectDql(expected: string): Promise<void> {
    await expect.poll(async () => this.dql()).toBe(canonical(expected));
  }

  /** Replaces the JSON view's text, as a paste would. */
  async paste(text: string): Promise<void> {
    await this.json.fill(text);
  }

  /** Presses Tab (or Shift+Tab) until the focused element has the accessible name `name`. */
  async tabTo(name: string | RegExp, backwards = false): Promise<void> {
    for (let i = 0; i < 120; i++) {
      const focused = await this.page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return '';
        const labelled = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
        // A button's "+ " is decoration (aria-hidden); compare what is read out.
        return (el.getAttribute('aria-label') ?? labelled ?? el.textContent ?? '').replace(/^\+\s*/, '').trim();
      });
      if (typeof name === 'string' ? focused === name : name.test(focused)) return;
      await this.page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    }
    throw new Error(`never reached ${name} with Tab`);
  }

  /** No axe-core violations inside the builder. */
  async expectAccessible(): Promise<void> {
    const results = await new AxeBuilder({ page: this.page }).include('.filter-builder').analyze();
    const summary = results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
    expect(summary).toEqual([]);
  }
}
