import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { createSandboxBusiness, createSandboxToken, sendWebhook } from './support/sandbox';
import { addNumberByHand, openWhatsapp, screenshot, wabaCard } from './support/whatsapp';

/** Issue 15 item 7: events in names and words; a restriction changes the WABA's card. */
test.describe('Events in words', () => {
  test("names numbers and WABAs, words Meta's enums, and shows a restriction on the WABA card", async ({ page }, testInfo) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Words');
    await openWhatsapp(page);
    await addNumberByHand(page, business, await createSandboxToken(business));

    await sendWebhook({ type: 'account_update', wabaId: business.wabaId, event: 'PARTNER_ADDED' });
    await sendWebhook({ type: 'phone_number_quality_update', phoneNumberId: business.phoneNumberId, event: 'FLAGGED' });
    await sendWebhook({ type: 'account_update', wabaId: business.wabaId, event: 'ACCOUNT_RESTRICTION' });

    const card = wabaCard(page, business.name);
    await expect(card.getByTestId('waba-status')).toContainText('Restricted by Meta');
    await expect(card.getByTestId('waba-status')).toContainText('may not start new conversations');
    // Screen readers hear which account the button acts on (issue 15 item 10).
    await expect(card.getByRole('button', { name: `Disconnect WABA ${business.name}`, exact: true })).toBeVisible();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    const events = page.getByRole('list', { name: 'Events' });
    const restricted = events.getByRole('listitem').filter({ hasText: 'Meta restricted the account' });
    await expect(restricted).toBeVisible();
    await expect(restricted).toContainText(business.name);
    await expect(events.getByRole('listitem').filter({ hasText: 'Account shared with WABA Connect' })).toBeVisible();
    const flagged = events.getByRole('listitem').filter({ hasText: 'flagged for low quality' });
    await expect(flagged).toContainText(business.displayPhone);
    await expect(flagged).toContainText('Customers blocked or reported messages');
    // No bare ids or Meta enums in the list.
    await expect(events).not.toContainText(business.wabaId);
    await expect(events).not.toContainText(business.phoneNumberId);
    await expect(events).not.toContainText(/PARTNER_ADDED|ACCOUNT_RESTRICTION|FLAGGED/);
    await screenshot(page, testInfo, 'events-in-words');
  });
});
