import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { createSandboxBusiness, createSandboxToken, revokeSandboxToken } from './support/sandbox';
import { openWhatsapp } from './support/whatsapp';

/** Issue 15 item 6: Meta's errors in words, the raw code only behind "Details for support". */
test.describe("Meta's errors in words", () => {
  test('an import with a token Meta rejects says so in a sentence, with the code only inside the disclosure', async ({ page }) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Rejected Import');
    const token = await createSandboxToken(business);
    await revokeSandboxToken(token);

    await openWhatsapp(page);
    await page.getByRole('button', { name: 'Import with an access token' }).first().click();
    const panel = page.getByRole('region', { name: 'Import with an access token' });
    const field = panel.getByRole('textbox', { name: 'Access token', exact: true });
    await field.fill(token);
    await panel.getByRole('button', { name: 'Find my numbers' }).click();

    const alert = panel.getByRole('alert');
    await expect(alert).toContainText('Meta does not accept this access token');
    await expect(alert).toContainText('Create a new system-user token in Meta Business Settings');
    // No pasted-token advice to "connect again", no raw Graph text or code in plain sight.
    await expect(alert).not.toContainText('connect again');
    const details = alert.locator('details');
    await expect(details.getByText('Meta error code: 190')).toBeHidden();
    await expect(alert.getByText(/190/)).toBeHidden();

    await details.getByText('Details for support').click();
    await expect(details.getByText('Meta error code: 190')).toBeVisible();
    await expect(details).toContainText(/Request id: \S+/);
    // The token stays in the field after the failure, so it can be corrected (issue 15 item 10).
    await expect(field).toHaveValue(token);
  });
});
