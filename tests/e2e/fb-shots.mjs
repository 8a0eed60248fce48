// Temporary screenshot script for the filter builder (not part of the suite).
import { chromium } from '@playwright/test';
const base = process.env.BASE_URL;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
async function run(width, scheme, name, example) {
  const page = await browser.newPage({ viewport: { width, height: 1100 }, colorScheme: scheme });
  await page.goto(base + '/signin');
  await page.getByLabel('Email').fill('manager@demo.annotask');
  await page.getByLabel('Password').fill('annotask-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/projects/);
  const token = (await (await page.request.post(base + '/token?default', { data: { type: 'user_credentials', username: 'manager@demo.annotask', password: 'annotask-demo' } })).json()).id_token;
  const headers = { Authorization: `Bearer ${token}` };
  const projects = await (await page.request.get(base + '/api/v1/projects', { headers })).json();
  const project = projects.find((p) => p.name === 'demo');
  const ds = await (await page.request.post(base + '/api/v1/datasets/query', { headers, data: { filter: { $and: [] }, page: 0, pageSize: 1000, resource: 'datasets', context: { projects: [project.id] } } })).json();
  const dataset = ds.items.find((d) => d.name === 'images');
  await page.goto(`${base}/projects/${project.id}/datasets/${dataset.id}/tasks/new`);
  await page.getByRole('radio', { name: 'Filter' }).check();
  if (example) {
    await page.getByLabel('DQL (JSON)').fill(example);
    await page.getByLabel('DQL (JSON)').blur();
  }
  await page.waitForTimeout(1500);
  const builder = page.locator('.filter-builder');
  await builder.screenshot({ path: `/tmp/fb/shots/${name}.png` });
  await page.evaluate(() => document.querySelector('.filter-builder').scrollIntoView());
  await page.screenshot({ path: `/tmp/fb/shots/${name}-top.png` });
  if (process.env.OPEN_PICKER) {
    const field = page.getByRole('combobox', { name: 'Field' }).last();
    await field.fill('me');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `/tmp/fb/shots/${name}-picker.png`, fullPage: true });
  }
  await page.close();
}
const ex5 = '{"filter": {"$or": [{"dir": "/folder1"}, {"dir": "/folder2"}], "$and": [{"hidden": false}, {"type": "file"}, {"metadata.system.refs": {"$match": {"id": {"$in": ["TASK"]}, "metadata": {"status": {"$exists": false}}}}}, {"metadata.system.size": {"$gte": 5000, "$lte": 100}}, {"name": {"$nin": ["a.jpg","b.jpg"]}}, {"createdAt": {"$gte": "2024-01-01T00:00:00.000Z"}}, {"x": {"$near": 1}}]}, "sort": {"createdAt": "descending"}, "page": 0, "pageSize": 1000, "resource": "items", "join": {"on": {"resource": "annotations", "local": "itemId", "forigen": "id"}, "filter": {"$and": [{"label": {"$in": ["dog", "cat"]}}]}}}';
await run(1280, 'light', 'default-1280', null);
await run(1280, 'light', 'rich-1280', ex5);
await run(1280, 'dark', 'rich-1280-dark', ex5);
await run(375, 'light', 'rich-375', ex5);
await browser.close();
