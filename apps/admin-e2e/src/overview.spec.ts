import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { createSandboxBusiness, createSandboxToken, revokeSandboxToken, sendMessageWebhook, sendWebhook } from './support/sandbox';
import { addNumberByHand, importWithToken, numberRow, openWhatsapp, picker } from './support/whatsapp';

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
}

/** Issue 15 item 9: the Overview is the tenant's dashboard. */
test.describe('The Overview', () => {
  test('an empty workspace is shown its first step', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    const first = page.getByTestId('overview-first-step');
    await expect(first.getByRole('heading', { name: 'Connect your first WhatsApp number' })).toBeVisible();
    await expect(page.getByTestId('overview-attention')).toHaveCount(0);
    await expectNoSidewaysScroll(page);
    await first.getByRole('link', { name: 'Connect WhatsApp' }).click();
    await expect(page).toHaveURL(/\/whatsapp$/);
  });

  test('shows numbers by status, what needs attention with its fix, onboarding in progress and recent events, live', async ({ page }, testInfo) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    const healthy = await createSandboxBusiness('E2E Overview Healthy');
    const dead = await createSandboxBusiness('E2E Overview Dead');
    const flagged = await createSandboxBusiness('E2E Overview Flagged');
    const pending = await createSandboxBusiness('E2E Overview Pending');
    const deadToken = await createSandboxToken(dead);

    await openWhatsapp(page);
    await addNumberByHand(page, healthy, await createSandboxToken(healthy));
    await addNumberByHand(page, dead, deadToken);
    await addNumberByHand(page, flagged, await createSandboxToken(flagged));
    await revokeSandboxToken(deadToken);
    await numberRow(page, dead.displayPhone)
      .getByRole('button', { name: `Test connection of ${dead.displayPhone}` })
      .click();
    await expect(numberRow(page, dead.displayPhone).getByTestId('number-status')).toContainText('Reconnect needed');
    await sendMessageWebhook(healthy.phoneNumberId, 'Do you deliver on Sundays?');
    // A consent whose numbers are not picked yet.
    await importWithToken(page, pending);
    await expect(picker(page)).toBeVisible();

    await page.getByRole('link', { name: 'Overview' }).first().click();
    await expect(page).toHaveURL(/\/overview$/);
    const attention = page.getByTestId('overview-attention');
    const reconnect = attention.getByRole('listitem').filter({ hasText: `Reconnect ${dead.name}` });
    await expect(reconnect).toContainText('Meta no longer accepts the credential');
    await expect(reconnect.getByRole('link', { name: /^Reconnect/ })).toHaveAttribute('href', '/whatsapp');

    const numbers = page.getByTestId('overview-numbers');
    await expect(numbers.getByRole('list', { name: 'Numbers by status' })).toContainText('2 Connected');
    await expect(numbers.getByRole('list', { name: 'Numbers by status' })).toContainText('1 Reconnect needed');
    await expect(numbers.getByRole('listitem').filter({ hasText: dead.displayPhone })).toContainText('Reconnect needed');

    const onboarding = page.getByTestId('overview-onboarding');
    await expect(onboarding).toContainText('A consent through an access token shared 1 number in 1 WhatsApp Business Account; choose which to connect.');
    await expect(onboarding).toContainText(/The choice expires in (59|60) minutes|The choice expires in 1 hour/);

    const events = page.getByTestId('overview-events');
    await expect(events.getByRole('listitem').first()).toContainText('Do you deliver on Sundays?');
    await expect(events.getByRole('link', { name: /See all \d+ events/ })).toHaveAttribute('href', '/events');

    // Live: Meta flags a number while the Overview is open.
    await sendWebhook({ type: 'phone_number_quality_update', phoneNumberId: flagged.phoneNumberId, event: 'FLAGGED' });
    const flaggedRow = attention.getByRole('listitem').filter({ hasText: `${flagged.displayPhone} is flagged for low quality` });
    await expect(flaggedRow).toBeVisible();
    await expect(flaggedRow.getByRole('link', { name: /^Review the number/ })).toBeVisible();
    await expect(numbers.getByRole('list', { name: 'Numbers by status' })).toContainText('1 Flagged');
    await expect(events.getByRole('listitem').first()).toContainText('flagged for low quality');

    // Kept beside the run's other results (test-results/, git-ignored) for people to look at.
    const screenshotPath = resolve(testInfo.project.outputDir, '..', 'overview-dashboard.png');
    mkdirSync(resolve(screenshotPath, '..'), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    await testInfo.attach('overview-dashboard', { path: screenshotPath, contentType: 'image/png' });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect(attention.getByRole('listitem').filter({ hasText: `Reconnect ${dead.name}` })).toBeVisible();
    await expectNoSidewaysScroll(page);

    await onboarding.getByRole('link', { name: 'Choose numbers' }).click();
    await expect(page).toHaveURL(/\/whatsapp\?onboarding=/);
    await expect(picker(page).getByRole('checkbox', { name: pending.displayPhone })).toBeVisible();
  });
});
