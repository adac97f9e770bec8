import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { createSandboxBusiness, createSandboxToken, revokeSandboxToken, sendWebhook } from './support/sandbox';
import { addNumberByHand, numberRow, openWhatsapp, screenshot, wabaCard } from './support/whatsapp';

/** Issue 15 item 1: one status per number and per WABA, the same on every page. */
test.describe('One status per number', () => {
  test('a credential Meta rejected reads "Reconnect needed" and a flagged number "Flagged", never a green "Connected"', async ({ page }, testInfo) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    const dead = await createSandboxBusiness('E2E Dead Credential');
    const flagged = await createSandboxBusiness('E2E Flagged');
    const deadToken = await createSandboxToken(dead);

    await openWhatsapp(page);
    await addNumberByHand(page, dead, deadToken);
    await addNumberByHand(page, flagged, await createSandboxToken(flagged));
    const greenConnected = (scope: ReturnType<typeof wabaCard>) => scope.locator('app-status-badge [data-tone="good"]', { hasText: /^Connected$/ });
    await expect(greenConnected(wabaCard(page, dead.name))).toHaveCount(2);

    // Meta stops accepting the first token; the next call to Meta finds out.
    await revokeSandboxToken(deadToken);
    const deadRow = numberRow(page, dead.displayPhone);
    await deadRow.getByRole('button', { name: `Test connection of ${dead.displayPhone}` }).click();
    const deadCard = wabaCard(page, dead.name);
    await expect(deadCard.getByTestId('waba-status')).toContainText('Reconnect needed');
    await expect(deadRow.getByTestId('number-status')).toContainText('Reconnect needed');
    await expect(greenConnected(deadCard)).toHaveCount(0);

    // Meta flags the second number for low quality (phone_number_quality_update FLAGGED).
    await sendWebhook({ type: 'phone_number_quality_update', phoneNumberId: flagged.phoneNumberId, event: 'FLAGGED' });
    const flaggedRow = numberRow(page, flagged.displayPhone);
    await expect(flaggedRow.getByTestId('number-status')).toContainText('Flagged');
    await expect(flaggedRow).toContainText('Quality: low');
    await expect(wabaCard(page, flagged.name).getByTestId('waba-status')).toContainText('Needs attention');
    await expect(greenConnected(wabaCard(page, flagged.name))).toHaveCount(0);
    await screenshot(page, testInfo, 'whatsapp-flagged-and-dead-credential');

    // The Overview tells the same story from the same derivation.
    await page.getByRole('link', { name: 'Overview' }).first().click();
    const overview = page.getByTestId('overview-numbers');
    await expect(overview.locator('li').filter({ hasText: dead.displayPhone })).toContainText('Reconnect needed');
    await expect(overview.locator('li').filter({ hasText: flagged.displayPhone })).toContainText('Flagged');
    await expect(overview.locator('[data-tone="good"]', { hasText: /Connected/ })).toHaveCount(0);
  });
});
