import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { createSandboxBusiness, createSandboxToken } from './support/sandbox';
import { addNumberByHand, openWhatsapp } from './support/whatsapp';

/** Writes through the API as the signed-in person does (session cookie plus the CSRF header). */
async function makeActive(page: Page, phoneNumberId: string): Promise<void> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === 'XSRF-TOKEN')?.value ?? '';
  const response = await page.request.post(`/api/phone-numbers/${phoneNumberId}/active`, { headers: { 'x-xsrf-token': csrf } });
  expect(response.ok(), await response.text()).toBe(true);
}

/** Issue 15 item 8: the audit log names who acted, pages, and fits a phone. */
test.describe('Activity log', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('names the person, pages a long history and never pushes a phone screen sideways', async ({ page }) => {
    const user = createAdminUser();
    await signUp(page, user);
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Activity');
    await openWhatsapp(page);
    await addNumberByHand(page, business, await createSandboxToken(business));
    for (let i = 0; i < 11; i += 1) await makeActive(page, business.phoneNumberId);
    await page.reload();

    const activity = page.getByRole('region', { name: 'Activity' });
    const rows = activity.getByRole('table').locator('tbody tr');
    await expect(rows).toHaveCount(10);
    await expect(rows.first()).toContainText(user.name);
    await expect(activity).not.toContainText(/^WABA Connect$/);

    await activity.getByRole('button', { name: 'Older entries' }).click();
    await expect(activity).toContainText('Page 2');
    await expect(rows.filter({ hasText: 'phone number connected' })).toHaveCount(1);
    await expect(rows.filter({ hasText: user.name }).first()).toBeVisible();

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
