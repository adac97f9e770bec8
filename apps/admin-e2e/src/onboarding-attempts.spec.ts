import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { consentInPopup, createSandboxBusiness } from './support/sandbox';
import { openWhatsapp, pickAndConnect, screenshot } from './support/whatsapp';

test.describe('Connection attempts', () => {
  test.beforeEach(async ({ page }) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
  });

  test('the WhatsApp page lists each attempt live: where the person left Meta, then a connected number', async ({ page }, testInfo) => {
    await openWhatsapp(page);
    const attempts = page.getByTestId('onboarding-attempts');
    await expect(attempts).toContainText('No one has tried to connect WhatsApp yet.');
    const connect = () => page.getByRole('button', { name: 'Connect WhatsApp' }).click();

    await consentInPopup(page, connect, null, { action: 'Cancel' });
    await expect(attempts.getByTestId('onboarding-attempt').first()).toContainText("Left Meta's window while choosing the business portfolio");

    const business = await createSandboxBusiness('Attempt Bistro');
    await consentInPopup(page, connect, business.name);
    await pickAndConnect(page, [business.displayPhone]);
    await expect(attempts.getByTestId('onboarding-attempt')).toHaveCount(2);
    await expect(attempts.getByTestId('onboarding-attempt').first()).toContainText('Connected 1 number');
    await expect(attempts.getByTestId('onboarding-attempt').first()).toContainText("Meta's popup (Embedded Signup)");
    await screenshot(page, testInfo, 'whatsapp-connection-attempts');
  });

  test('the operators’ funnel page tells a tenant admin it is not for them', async ({ page }) => {
    await page.goto('/operator/funnel');
    await expect(page.getByRole('heading', { name: 'Onboarding funnel' })).toBeVisible();
    await expect(page.getByText('This page is for the people who run WABA Connect.')).toBeVisible();
  });
});
