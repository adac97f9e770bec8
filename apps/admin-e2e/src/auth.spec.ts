import { expect, test } from './support/fixtures';
import { createAdminUser, expectOverviewOf, fillLogin, logOut, signUp } from './support/admin-user';

test.describe('tenant admin authentication', () => {
  test('signs up, lands on the overview, logs out, and logs in again', async ({ page }, testInfo) => {
    const user = createAdminUser();

    await signUp(page, user);
    await expectOverviewOf(page, user);
    // The shell shows who is signed in, and the overview reads the API's health.
    const toolbar = page.locator('mat-toolbar');
    await expect(toolbar).toContainText(user.name);
    await expect(toolbar).toContainText(user.accountName);
    await expect(page.getByRole('status').filter({ hasText: 'Database' })).toContainText('Up');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(['Overview', 'WhatsApp', 'Templates', 'Events', 'Settings']);

    await logOut(page);
    // Signed out for real: the protected page is no longer reachable.
    await page.goto('/overview');
    await expect(page).toHaveURL(/\/login\?returnUrl=%2Foverview$/);

    await fillLogin(page, user.email, user.password);
    await expectOverviewOf(page, user);

    await page.screenshot({ path: testInfo.outputPath('overview.png'), fullPage: true });
    await testInfo.attach('overview', { path: testInfo.outputPath('overview.png'), contentType: 'image/png' });
  });

  test('shows a readable error for a wrong password, and returns a signed-out visitor to the page they asked for', async ({ page }) => {
    const user = createAdminUser();
    await signUp(page, user);
    await expectOverviewOf(page, user);
    await logOut(page);

    await fillLogin(page, user.email, 'not the right password');
    await expect(page.getByRole('alert')).toContainText('Email or password is incorrect');
    await expect(page).toHaveURL(/\/login$/);

    await page.goto('/settings');
    await expect(page).toHaveURL(/\/login\?returnUrl=%2Fsettings$/);

    await fillLogin(page, user.email, user.password);
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    const users = page.getByRole('table', { name: 'Users of this account' });
    await expect(users.getByRole('row').filter({ hasText: user.email })).toContainText('Owner');
  });
});
