import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { addSandboxNumber, consentInPopup, createSandboxBusiness, createSandboxToken, sendWebhook } from './support/sandbox';
import { addNumberByHand, numberRow, openWhatsapp, pickAndConnect, screenshot } from './support/whatsapp';

const activeBadge = (row: ReturnType<typeof numberRow>) => row.locator('app-status-badge', { hasText: /^Active$/ });

/** Issue 15 items 2, 3 and 5: the active number, a manual add beside a consented credential, the PIN we set. */
test.describe('What a tenant sees of its numbers is true', () => {
  test('a flagged active number gives way to a usable one, the Events page says so live, and choosing it back needs a warning', async ({ page }, testInfo) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    const first = await createSandboxBusiness('E2E Active First');
    const second = await createSandboxBusiness('E2E Active Second');
    await openWhatsapp(page);
    await addNumberByHand(page, first, await createSandboxToken(first));
    await addNumberByHand(page, second, await createSandboxToken(second));
    await expect(activeBadge(numberRow(page, first.displayPhone))).toHaveCount(1);

    // On the Events page when Meta flags the active number: the change arrives live.
    await page.getByRole('link', { name: 'Events' }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
    await sendWebhook({ type: 'phone_number_quality_update', phoneNumberId: first.phoneNumberId, event: 'FLAGGED' });
    const event = page.locator('li.event[data-event-type="phone_number.active"]');
    await expect(event).toContainText(`Active number is now ${second.displayPhone}`);
    await expect(event).toContainText(`${first.displayPhone} was flagged by Meta for low quality.`);
    await expect(event).toContainText('Active number changes');

    await openWhatsapp(page);
    await expect(activeBadge(numberRow(page, second.displayPhone))).toHaveCount(1);
    await expect(activeBadge(numberRow(page, first.displayPhone))).toHaveCount(0);
    const activity = page.getByRole('region', { name: 'Activity' });
    await expect(activity.getByRole('row').filter({ hasText: 'phone number active changed' }).first()).toContainText('Meta webhook');

    // Choosing the flagged number is possible, after a warning in words.
    await page.getByRole('button', { name: `Make ${first.displayPhone} active` }).click();
    const dialog = page.getByRole('alertdialog');
    await expect(dialog).toContainText(`Make ${first.displayPhone} active although it is flagged?`);
    await expect(dialog).toContainText('Meta flagged this number for low quality');
    await expect(dialog).toContainText('Messages from it may not get through.');
    await screenshot(page, testInfo, 'whatsapp-active-number-warning');
    await dialog.getByRole('button', { name: 'Make active anyway' }).click();
    await expect(activeBadge(numberRow(page, first.displayPhone))).toHaveCount(1);
    await expect(activity.getByRole('row').filter({ hasText: 'Chosen despite the warning: Flagged' })).toHaveCount(1);
  });

  test('adding a number by hand to an account connected through Meta asks which credential to keep', async ({ page }, testInfo) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Credential Choice');
    await openWhatsapp(page);
    await consentInPopup(page, () => page.getByRole('button', { name: 'Connect WhatsApp' }).click(), business.name);
    await pickAndConnect(page, [business.displayPhone]);

    const extra = await addSandboxNumber(business);
    await page.getByRole('button', { name: 'Add a number by hand' }).first().click();
    const panel = page.getByRole('region', { name: 'Add a number by hand' });
    await expect(panel).toContainText('then store it encrypted as the credential of this WhatsApp Business Account');
    await panel.getByLabel('Phone number ID').fill(extra.phoneNumberId);
    await panel.getByLabel('WhatsApp Business Account ID').fill(extra.wabaId);
    await panel.getByRole('textbox', { name: 'Access token', exact: true }).fill(await createSandboxToken(business));
    await panel.getByRole('button', { name: 'Add number' }).click();

    const choice = panel.getByRole('group', { name: 'Which credential should this account keep?' });
    await expect(choice).toContainText(`WhatsApp Business Account ${business.wabaId} already works with a credential from Embedded Signup, saved today.`);
    await expect(numberRow(page, extra.displayPhone)).toHaveCount(0);
    await expect(panel.getByRole('button', { name: 'Add number with this choice' })).toBeDisabled();
    await screenshot(page, testInfo, 'whatsapp-credential-choice');
    await choice.getByRole('radio', { name: /Keep the current credential/ }).check();
    await panel.getByRole('button', { name: 'Add number with this choice' }).click();
    await expect(numberRow(page, extra.displayPhone)).toBeVisible();
    await expect(page.getByRole('region', { name: 'Activity' })).toContainText('Kept the credential from Embedded Signup; the pasted token was checked with Meta and not stored');
  });

  test('the PIN we set is explained, and an owner sees it after typing the password again; it is hidden after navigating', async ({ page }, testInfo) => {
    const owner = createAdminUser();
    await signUp(page, owner);
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Pin');
    const unregistered = await addSandboxNumber(business, { registered: false });
    await openWhatsapp(page);
    await addNumberByHand(page, unregistered, await createSandboxToken(business));

    const row = numberRow(page, unregistered.displayPhone);
    await expect(row.getByTestId('number-pin')).toContainText('We set a two-step verification PIN when we registered this number.');
    await expect(row.getByTestId('number-pin')).toContainText('the business needs it to move the number to another provider');
    await row.getByRole('button', { name: `Reveal PIN of ${unregistered.displayPhone}` }).click();
    const password = row.getByLabel('Your password');
    await password.fill('not the password');
    await row.getByRole('button', { name: 'Show PIN' }).click();
    await expect(row.getByRole('alert')).toContainText('That password is not correct.');
    await expect(row.getByTestId('pin-value')).toHaveCount(0);

    await password.fill(owner.password);
    await row.getByRole('button', { name: 'Show PIN' }).click();
    await expect(row.getByTestId('pin-value')).toHaveText(/^\d{6}$/);
    await expect(row.getByRole('button', { name: 'Copy PIN' })).toBeVisible();
    await screenshot(page, testInfo, 'whatsapp-pin-revealed');

    await page.getByRole('link', { name: 'Overview' }).first().click();
    await openWhatsapp(page);
    await expect(page.getByRole('region', { name: 'Activity' })).toContainText('phone number pin revealed');
    await expect(numberRow(page, unregistered.displayPhone).getByTestId('pin-value')).toHaveCount(0);
    await expect(numberRow(page, unregistered.displayPhone).getByRole('button', { name: `Reveal PIN of ${unregistered.displayPhone}` })).toBeVisible();
  });
});
