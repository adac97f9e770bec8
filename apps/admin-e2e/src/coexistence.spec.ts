import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { consentInPopup, createSandboxBusiness, SANDBOX_URL, sendWebhook } from './support/sandbox';
import { numberRow, openWhatsapp, pickAndConnect, screenshot } from './support/whatsapp';

/** A sandbox business whose one number is on the WhatsApp Business app (coexistence). */
async function appBusiness(label: string) {
  const business = await createSandboxBusiness(label);
  const response = await fetch(`${SANDBOX_URL}/_sandbox/phone-numbers/${business.phoneNumberId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ isOnBizApp: true }),
  });
  expect(response.ok, `the sandbox did not put the number on the app: ${response.status}`).toBe(true);
  return business;
}

test.describe('WhatsApp Business app numbers (coexistence)', () => {
  test.beforeEach(async ({ page }) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
  });

  test('connects a number that stays on the app, explains what changes, and follows its contacts and history sync', async ({ page }, testInfo) => {
    const business = await appBusiness('Corner Cafe');
    await openWhatsapp(page);

    const offer = page.getByTestId('coexistence-connect');
    await offer.getByText('What changes for your business').click();
    await expect(offer).toContainText('20 messages per second');
    await expect(offer).toContainText('keeps working');
    await expect(offer).toContainText('within 24 hours');
    await expect(offer).toContainText('every 14 days');

    await consentInPopup(page, () => offer.getByRole('button', { name: 'I use the WhatsApp Business app on this number' }).click(), business.name);
    await pickAndConnect(page, [business.displayPhone]);
    await expect(numberRow(page, business.displayPhone)).toContainText('Connected');

    const sync = page.getByTestId(`coexistence-${business.phoneNumberId}`);
    await expect(sync).toContainText('Contacts: Done (2 in the address book)');
    await expect(sync).toContainText('Chat history: Done (100%, 12 messages so far)');

    // The business replies from the app on its phone: the echo reaches the page live.
    await sendWebhook({ type: 'smb_message_echo', phoneNumberId: business.phoneNumberId, text: 'Sent from my phone' });
    await expect(sync).toContainText('1 message sent from the app since connecting.');
    await screenshot(page, testInfo, 'whatsapp-coexistence-synced');
  });
});
