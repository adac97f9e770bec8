import { expect, test } from './support/fixtures';
import { randomUUID } from 'node:crypto';
import { createAdminUser, signUp } from './support/admin-user';
import { consentInPopup, createSandboxBusiness, sendMessageWebhook } from './support/sandbox';
import { openWhatsapp, pickAndConnect, screenshot } from './support/whatsapp';

test.describe('Events', () => {
  test('a webhook sent by Meta shows up live on the Events page, without a reload', async ({ page }, testInfo) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Cafe');
    await openWhatsapp(page);
    await consentInPopup(page, () => page.getByRole('button', { name: 'Connect WhatsApp' }).click(), business.name);
    await pickAndConnect(page, [business.displayPhone]);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
    const events = page.getByRole('list', { name: 'Events' });
    // Connecting may already have produced account events; the message is what this test sends.
    const text = `Hello from e2e ${randomUUID().slice(0, 8)}`;
    await expect(page.getByText(text)).toHaveCount(0);

    await sendMessageWebhook(business.phoneNumberId, text);

    const item = events.getByRole('listitem').filter({ hasText: text });
    await expect(item).toBeVisible();
    await expect(item).toContainText('Messages received');
    await expect(events.getByRole('listitem').first()).toContainText(text);
    await screenshot(page, testInfo, 'events-live');

    // The type filter keeps it under "Messages received" and hides it under "Quality changes".
    await page.getByRole('option', { name: 'Quality changes' }).click();
    await expect(page.getByText(text)).toHaveCount(0);
    await page.getByRole('option', { name: 'Quality changes' }).click();
    await page.getByRole('option', { name: 'Messages received' }).click();
    await expect(events.getByRole('listitem').filter({ hasText: text })).toBeVisible();
  });
});
