import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { resolve } from 'node:path';
import { createSandboxToken, type SandboxBusiness } from './sandbox';

export async function openWhatsapp(page: Page): Promise<void> {
  await page.goto('/whatsapp');
  await expect(page.getByRole('heading', { level: 1, name: 'WhatsApp' })).toBeVisible();
}

export function picker(page: Page): Locator {
  return page.locator('app-onboarding-picker');
}

/** A number's row in the connected list. */
export function numberRow(page: Page, displayPhone: string): Locator {
  return page.getByRole('region', { name: 'Your WhatsApp Business Accounts' }).getByRole('listitem').filter({ hasText: displayPhone });
}

/** Ticks the numbers in the picker and confirms; waits until the picker reports them connected. */
export async function pickAndConnect(page: Page, displayPhones: string[]): Promise<void> {
  const pick = picker(page);
  for (const phone of displayPhones) {
    await pick.getByRole('checkbox', { name: phone }).check();
  }
  const label = displayPhones.length > 1 ? `Connect ${displayPhones.length} numbers` : 'Connect selected number';
  await pick.getByRole('button', { name: label }).click();
  await expect(pick.getByRole('status')).toContainText(`Connected: ${displayPhones.length} ${displayPhones.length === 1 ? 'number is' : 'numbers are'} ready to use.`);
}

/** One screenshot per flow, kept as `test-results/admin-e2e/<name>.png`. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = resolve(testInfo.project.outputDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** The manual add (phone number ID, WABA ID, token), waiting until the number's row shows up. */
export async function addNumberByHand(page: Page, ids: { phoneNumberId: string; wabaId: string; displayPhone: string }, token: string): Promise<void> {
  await page.getByRole('button', { name: 'Add a number by hand' }).first().click();
  await page.getByLabel('Phone number ID').fill(ids.phoneNumberId);
  await page.getByLabel('WhatsApp Business Account ID').fill(ids.wabaId);
  await page.getByRole('textbox', { name: 'Access token', exact: true }).fill(token);
  await page.getByRole('button', { name: 'Add number' }).click();
  await expect(numberRow(page, ids.displayPhone)).toBeVisible();
}

/** A WABA's card in the connected list, found by its name. */
export function wabaCard(page: Page, name: string): Locator {
  return page.locator('mat-card').filter({ has: page.getByRole('heading', { name, exact: true }) });
}

/** "Import with an access token" for the business: the picker opens with what the token reaches. */
export async function importWithToken(page: Page, business: SandboxBusiness): Promise<void> {
  await page.getByRole('button', { name: 'Import with an access token' }).first().click();
  await page
    .getByRole('region', { name: 'Import with an access token' })
    .getByRole('textbox', { name: 'Access token', exact: true })
    .fill(await createSandboxToken(business));
  await page.getByRole('button', { name: 'Find my numbers' }).click();
  await expect(page.getByRole('heading', { name: 'Choose the numbers to connect' })).toBeVisible();
}
