import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { addSandboxNumber, createSandboxBusiness, SANDBOX_URL, sendWebhook } from './support/sandbox';
import { changeSandboxNumber } from './support/sandbox-health';
import { importWithToken, numberRow, openWhatsapp, pickAndConnect, screenshot } from './support/whatsapp';

/** Issue 13: "Can this number send?", in a real browser against the sandbox. */
test.describe('Can this number send?', () => {
  test('a number goes from "can send" to "cannot send" when the sandbox takes it off the Cloud API, live, with the reason and the fix, and the tenant fixes it', async ({ page }, testInfo) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Health');
    // Not on the Cloud API yet: connecting registers it, with a two-step PIN we keep.
    const number = await addSandboxNumber(business, { registered: false, label: 'Deliveries' });
    await openWhatsapp(page);
    await importWithToken(page, number);
    await pickAndConnect(page, [number.displayPhone]);

    const row = numberRow(page, number.displayPhone);
    const health = row.getByTestId('number-health');
    await expect(health).toContainText('Not checked yet');
    await page.getByRole('button', { name: 'Check now' }).click();
    await expect(health.getByTestId('number-verdict')).toHaveText('Can send');
    await expect(health.getByTestId('number-verdict-summary')).toHaveText('Nothing stops this number from sending.');

    // Meta takes the number off the Cloud API and says so by webhook: the page changes by itself.
    await changeSandboxNumber(number.phoneNumberId, { registered: false });
    await sendWebhook({ type: 'account_update', wabaId: number.wabaId, event: 'ACCOUNT_OFFBOARDED' });
    await expect(health.getByTestId('number-verdict')).toHaveText('Cannot send', { timeout: 20_000 });
    const registration = health.locator('[data-check="registration"]');
    await expect(registration).toContainText('The number is not registered on the Cloud API.');
    await expect(registration).toContainText('Why it matters: An unregistered number cannot send or receive through the Cloud API.');
    await expect(registration).toContainText('What to do: Register it again with the two-step PIN we keep.');
    // Meta's own health_status says the same, in words; its code is for support.
    const meta = health.locator('[data-check="meta_health"]');
    await expect(meta).toContainText('Meta blocks messaging for this number: The phone number is not registered on the Cloud API.');
    await meta.getByText('Details for support').click();
    await expect(meta).toContainText('error 133010');
    await screenshot(page, testInfo, 'number-health-cannot-send');

    // The Overview puts it first, with a link to the fix.
    await page.getByRole('link', { name: 'Overview' }).first().click();
    const overview = page.getByTestId('overview-health');
    await expect(overview.getByRole('list', { name: 'Numbers by verdict' })).toContainText('1 Cannot send');
    const first = overview.getByRole('list', { name: 'What needs attention first' }).getByRole('listitem').first();
    await expect(first).toContainText(`${number.displayPhone} cannot send`);
    await first.getByRole('link', { name: /^Register again/ }).click();
    await expect(page).toHaveURL(new RegExp(`/whatsapp#number-${number.phoneNumberId}$`));

    // The fix: register again with the stored PIN.
    await numberRow(page, number.displayPhone)
      .getByRole('button', { name: `Register again for ${number.displayPhone}` })
      .first()
      .click();
    await expect(numberRow(page, number.displayPhone).getByTestId('number-verdict')).toHaveText('Can send');

    // Both changes are on the Events page.
    await page.getByRole('link', { name: 'Events' }).first().click();
    await expect(page.getByText(`${number.displayPhone}: cannot send`)).toBeVisible();
    await expect(page.getByText(`${number.displayPhone}: can send again`)).toBeVisible();
  });

  test("the sandbox console blocks a number with Meta's reason; the tenant reads it in words and sees it lifted", async ({ page, context }) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Console Block');
    await openWhatsapp(page);
    await importWithToken(page, business);
    await pickAndConnect(page, [business.displayPhone]);
    await page.getByRole('button', { name: 'Check now' }).click();
    const health = numberRow(page, business.displayPhone).getByTestId('number-health');
    await expect(health.getByTestId('number-verdict')).toHaveText('Can send');

    const consolePage = await context.newPage();
    await consolePage.goto(`${SANDBOX_URL}/_sandbox`);
    const form = consolePage.getByRole('region', { name: 'Block or limit messaging' });
    await form.getByLabel('Number or WABA').selectOption(business.phoneNumberId);
    await form.getByLabel('Messaging', { exact: true }).selectOption('BLOCKED');
    await form.getByLabel('What Meta says is wrong (optional)').fill('The business has not accepted the updated terms.');
    await form.getByLabel('What Meta suggests (optional)').fill('Accept the terms in WhatsApp Manager.');
    await form.getByRole('button', { name: 'Set messaging health' }).click();
    await expect(form.getByRole('status')).toContainText('now cannot send');

    await page.getByRole('button', { name: 'Check now' }).click();
    await expect(health.getByTestId('number-verdict')).toHaveText('Cannot send');
    await expect(health.getByTestId('number-verdict-summary')).toHaveText('Meta blocks messaging for this number: The business has not accepted the updated terms.');
    await expect(health).toContainText('What to do: Accept the terms in WhatsApp Manager.');

    await form.getByLabel('Messaging', { exact: true }).selectOption('AVAILABLE');
    await form.getByRole('button', { name: 'Set messaging health' }).click();
    await expect(form.getByRole('status')).toContainText('now can send');
    await page.getByRole('button', { name: 'Check now' }).click();
    await expect(health.getByTestId('number-verdict')).toHaveText('Can send');
    await consolePage.close();
  });
});
