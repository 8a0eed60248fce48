import { test, expect } from '@playwright/test';
import { ANNOTATOR, DEMO_PASSWORD, MANAGER, OWNER, apiToken, apiUrl, signIn } from './support/session';
import { demoIds, expectNoAxeViolations, openDemoDataset, storedSession } from './support/navigation';

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

test('no token ever appears in a URL, a link or the page', async ({ page }) => {
  // Every address the browser asks for or shows: requests (API, assets), navigations (also
  // the History API ones a router makes), and the Referer sent along.
  const seen: string[] = [];
  page.on('request', (request) => {
    seen.push(request.url());
    const referer = request.headers()['referer'];
    if (referer) seen.push(referer);
  });
  page.on('framenavigated', (frame) => seen.push(frame.url()));
  const tokens = new Set<string>();
  const remember = async () => {
    const { session, local } = await storedSession(page);
    for (const s of [session, local]) {
      if (s?.token) tokens.add(s.token);
      if (s?.refresh_token) tokens.add(s.refresh_token);
    }
  };
  const pageShowsNoToken = async () => {
    const html = await page.content();
    for (const token of tokens) expect(html.includes(token), 'a token in the page markup').toBe(false);
  };

  // Password sign-in, kept signed in, through the pages a manager uses.
  await page.goto('projects');
  await page.getByLabel('Email').fill(MANAGER);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByLabel('Keep me signed in').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  await remember();
  await openDemoDataset(page);
  await page.getByRole('link', { name: 'demo-labeling' }).click();
  await expect(page.getByRole('heading', { name: 'Assignments' })).toBeVisible();
  await pageShowsNoToken();
  await page.getByRole('link', { name: 'Create QA task' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New task' })).toBeVisible();
  await pageShowsNoToken();

  // The token runs out: it is refreshed (a POST body, never a query string).
  await page.evaluate((key) => {
    const s = JSON.parse(localStorage.getItem(key) ?? 'null');
    localStorage.setItem(key, JSON.stringify({ ...s, expires_at_ms: Date.now() + 1_000 }));
  }, 'annotask.session');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'New task' })).toBeVisible();
  await expect.poll(async () => (await storedSession(page)).local?.token).not.toBe([...tokens][0]);
  await remember();

  // Refused: sign-in remembers where the user was, by path only.
  await page.evaluate((key) => {
    const s = JSON.parse(localStorage.getItem(key) ?? 'null');
    localStorage.setItem(key, JSON.stringify({ ...s, token: s.token.slice(0, -4) + 'AAAA' }));
  }, 'annotask.session');
  await page.reload();
  await expect(page).toHaveURL(/\/signin\?next=/);

  // A token pasted on the Token tab goes in a header, not into the address.
  const pasted = await apiToken(page);
  tokens.add(pasted);
  await page.getByRole('tab', { name: 'Token' }).click();
  await page.getByLabel('Token').fill(pasted);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New task' })).toBeVisible();
  await pageShowsNoToken();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  expect(await storedSession(page)).toEqual({ session: null, local: null });

  expect(tokens.size).toBeGreaterThanOrEqual(3);
  expect(seen.length).toBeGreaterThan(20);
  for (const url of seen) {
    for (const token of tokens) {
      expect(url.includes(token), `a token in ${url.slice(0, 120)}`).toBe(false);
    }
    // Nor any JWT at all (a JWT's header always starts with eyJ), nor a token parameter.
    expect(url, 'a JWT in a URL').not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
    expect(url, 'a token parameter').not.toMatch(/[?&#](access_|id_|refresh_)?token=/i);
  }
});
