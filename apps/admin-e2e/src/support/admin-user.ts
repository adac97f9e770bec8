import { expect, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';

export interface AdminUser {
  accountName: string;
  name: string;
  email: string;
  password: string;
}

/** A brand-new tenant owner; the email is unique per run so tests never collide with old data. */
export function createAdminUser(): AdminUser {
  const id = randomUUID().slice(0, 8);
  return {
    accountName: `Acme Traders ${id}`,
    name: `Ada ${id}`,
    email: `e2e-${Date.now()}-${id}@example.com`,
    password: `correct horse ${id}`,
  };
}

export async function signUp(page: Page, user: AdminUser): Promise<void> {
  await page.goto('/signup');
  await expect(page.getByRole('heading', { level: 1, name: 'Create your account' })).toBeVisible();
  await page.getByLabel('Account name', { exact: true }).fill(user.accountName);
  await page.getByLabel('Your name', { exact: true }).fill(user.name);
  await page.getByLabel('Email', { exact: true }).fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function fillLogin(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeVisible();
}

export async function expectOverviewOf(page: Page, user: AdminUser): Promise<void> {
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page).toHaveTitle('Overview · WABA Connect');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${user.name}`);
  await expect(page.getByTestId('account-name')).toHaveText(user.accountName);
}
