import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { consentInPopup, createSandboxBusiness, createSandboxToken, revokeSandboxToken } from './support/sandbox';
import { numberRow, openWhatsapp, picker, screenshot } from './support/whatsapp';

test.describe('Token health', () => {
  test('a number added by hand; Meta revokes its token; the app says so and Reconnect repairs it', async ({ page }, testInfo) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Bakery');
    const token = await createSandboxToken(business);

    await openWhatsapp(page);
    await page.getByRole('button', { name: 'Add a number by hand' }).click();
    await page.getByLabel('Phone number ID').fill(business.phoneNumberId);
    await page.getByLabel('WhatsApp Business Account ID').fill(business.wabaId);
    await page.getByRole('textbox', { name: 'Access token', exact: true }).fill(token);
    await page.getByRole('button', { name: 'Add number' }).click();

    const row = numberRow(page, business.displayPhone);
    await expect(row).toContainText('Connected');
    const card = page.locator('mat-card').filter({ hasText: business.name });
    await expect(card).toContainText(/expires in (29|30) days/);
    // The token never stays in the page once sent.
    await expect(page.locator('input[type="password"]')).toHaveCount(0);

    await revokeSandboxToken(token);
    await row.getByRole('button', { name: `Test connection of ${business.displayPhone}` }).click();
    await expect(row.getByRole('status')).toContainText('Meta no longer accepts the stored credential for this number');

    const banner = page.getByRole('alert').filter({ hasText: 'Reconnect needed.' });
    await expect(banner).toBeVisible();
    await expect(card).toContainText('reconnect needed');
    await expect(page.locator('mat-toolbar').getByRole('link', { name: /Reconnect needed/ })).toBeVisible();
    await screenshot(page, testInfo, 'token-health-reconnect-needed');

    await consentInPopup(page, () => banner.getByRole('button', { name: 'Reconnect' }).click(), business.name);
    await expect(picker(page).getByRole('checkbox', { name: business.displayPhone })).toBeChecked();
    await picker(page).getByRole('button', { name: 'Reconnect 1 number' }).click();
    await expect(picker(page).getByRole('status')).toContainText('Connected: 1 number is ready to use.');

    await expect(banner).toHaveCount(0);
    await expect(page.locator('mat-toolbar').getByRole('link', { name: /Reconnect needed/ })).toHaveCount(0);
    await expect(card).toContainText(/expires in \d+ days/);
    await expect(row).toContainText('Connected');
  });
});
