import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { addSandboxNumber, consentInPopup, createSandboxBusiness, type SandboxBusiness } from './support/sandbox';
import { importWithToken, numberRow, openWhatsapp, picker, screenshot } from './support/whatsapp';

async function connectPicked(page: Page, phones: string[], label: string): Promise<void> {
  for (const phone of phones) await picker(page).getByRole('checkbox', { name: phone }).check();
  await picker(page).getByRole('button', { name: label }).click();
  await expect(picker(page).getByRole('status')).toContainText(`Connected: ${phones.length} ${phones.length === 1 ? 'number is' : 'numbers are'} ready to use.`);
  await picker(page).getByRole('button', { name: 'Done' }).click();
}

/** A new workspace that imports the business's numbers and connects `phones` of them. */
async function workspaceWith(page: Page, business: SandboxBusiness, phones: string[], label: string): Promise<void> {
  await signUp(page, createAdminUser());
  await expect(page).toHaveURL(/\/overview$/);
  await openWhatsapp(page);
  await importWithToken(page, business);
  await connectPicked(page, phones, label);
}

/** Issue 15 item 4: the picker tells the truth before anyone presses Connect. */
test.describe('The picker tells the truth', () => {
  test('a number whose WABA another workspace holds reads as taken and cannot be picked, never "Available" then a Retry', async ({ page, browser }, testInfo) => {
    const business = await createSandboxBusiness('E2E Shared WABA');
    const second = (await addSandboxNumber(business, { label: 'Second' })).displayPhone;
    await workspaceWith(page, business, [business.displayPhone], 'Connect selected number');

    // Another workspace is given the same WABA: the number nobody connected is still not free.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signUp(otherPage, createAdminUser());
    await expect(otherPage).toHaveURL(/\/overview$/);
    await openWhatsapp(otherPage);
    await importWithToken(otherPage, business);
    const pick = picker(otherPage);
    for (const phone of [business.displayPhone, second]) {
      const item = pick.getByRole('listitem').filter({ hasText: phone });
      await expect(item).toContainText('Connected to another WABA Connect workspace');
      await expect(item).not.toContainText('Available');
      await expect(pick.getByRole('checkbox', { name: phone })).toBeDisabled();
    }
    await expect(pick.getByTestId('picker-summary')).toHaveText('Both numbers this consent shares are connected to another WABA Connect workspace, so none can be connected here.');
    await expect(pick.getByRole('button', { name: /Connect/ })).toBeDisabled();
    await expect(pick.getByRole('button', { name: /Retry/ })).toHaveCount(0);
    await screenshot(otherPage, testInfo, 'picker-taken-by-another-workspace');
    await other.close();
  });

  test("a number's Reconnect opens the picker with that number ticked", async ({ page }) => {
    const business = await createSandboxBusiness('E2E Reconnect One');
    const second = (await addSandboxNumber(business, { label: 'Second' })).displayPhone;
    await workspaceWith(page, business, [business.displayPhone, second], 'Connect 2 numbers');

    const row = numberRow(page, business.displayPhone);
    await row.getByRole('button', { name: `Disconnect ${business.displayPhone}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Disconnect' }).click();
    await expect(row.getByTestId('number-status')).toContainText('Disconnected');

    await consentInPopup(page, () => row.getByRole('button', { name: `Reconnect ${business.displayPhone}` }).click(), business.name);
    await expect(picker(page).getByRole('checkbox', { name: business.displayPhone })).toBeChecked();
    await expect(picker(page).getByRole('checkbox', { name: second })).not.toBeChecked();
    await picker(page).getByRole('button', { name: 'Connect selected number' }).click();
    await expect(picker(page).getByRole('status')).toContainText('Connected: 1 number is ready to use.');
    await expect(row.getByTestId('number-status')).toContainText('Connected');
  });

  test('an import of numbers all connected here says so, and a mixed one says how many are new', async ({ page }, testInfo) => {
    const business = await createSandboxBusiness('E2E Already Connected');
    const phones = [business.displayPhone];
    for (const label of ['Two', 'Three', 'Four']) phones.push((await addSandboxNumber(business, { label })).displayPhone);
    await workspaceWith(page, business, phones, 'Connect 4 numbers');

    await importWithToken(page, business);
    await expect(picker(page).getByTestId('picker-summary')).toHaveText('All 4 numbers this consent shares are already connected.');
    await expect(picker(page).getByRole('button', { name: 'Connect 4 numbers', exact: true })).toHaveCount(0);
    await expect(picker(page).getByRole('button', { name: 'Reconnect 4 numbers' })).toBeVisible();
    await screenshot(page, testInfo, 'picker-all-already-connected');
    await picker(page).getByRole('button', { name: 'Cancel' }).click();

    const fifth = (await addSandboxNumber(business, { label: 'Five' })).displayPhone;
    await importWithToken(page, business);
    await expect(picker(page).getByTestId('picker-summary')).toHaveText('Meta shared 5 numbers in 1 WhatsApp Business Account: 1 is new and 4 are already connected here.');
    await picker(page).getByRole('checkbox', { name: fifth }).check();
    await expect(picker(page).getByRole('button', { name: 'Connect 1 new and reconnect 4' })).toBeEnabled();
  });
});
