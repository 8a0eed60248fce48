import { test, expect } from '@playwright/test';

test('a manager signs in and sees the projects from the API', async ({ page }) => {
  await page.goto('/');
  // Not signed in: the app sends us to sign-in.
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel('Email').fill('manager@demo.annotask');
  await page.getByLabel('Password').fill('annotask-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByRole('heading', { name: 'demo' })).toBeVisible();
  // The manager is not a member of the restricted project.
  await expect(page.getByRole('heading', { name: 'restricted' })).toHaveCount(0);
});

test('a wrong password gets a clear message and keeps the email', async ({ page }) => {
  await page.goto('/signin');
  await page.getByLabel('Email').fill('manager@demo.annotask');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue('manager@demo.annotask');
});
