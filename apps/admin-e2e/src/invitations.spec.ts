import { expect, test } from './support/fixtures';
import { randomUUID } from 'node:crypto';
import { createAdminUser, expectOverviewOf, signUp } from './support/admin-user';

test.describe('inviting an admin', () => {
  test('an owner invites; the invitee opens the link in another browser, chooses a password, lands signed in; the owner sees them', async ({ page, browser }) => {
    const owner = createAdminUser();
    await signUp(page, owner);
    await expectOverviewOf(page, owner);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    const inviteeEmail = `invitee-${Date.now()}-${randomUUID().slice(0, 6)}@example.com`;
    await page.getByLabel('Email', { exact: true }).fill(inviteeEmail);
    await page.getByLabel('Role', { exact: true }).selectOption('admin');
    await page.getByRole('button', { name: 'Send invitation' }).click();

    const linkField = page.getByRole('textbox', { name: `Invitation link for ${inviteeEmail}` });
    await expect(linkField).toBeVisible();
    const link = await linkField.inputValue();
    expect(link).toMatch(/\/invite#[A-Za-z0-9_-]{40,}$/);
    await expect(page.getByRole('table', { name: 'Invitations not accepted yet' })).toContainText(inviteeEmail);

    // The invitee: a separate browser context, so nothing of the owner's session is shared.
    const inviteeContext = await browser.newContext();
    try {
      const invitee = await inviteeContext.newPage();
      await invitee.goto(link);
      await expect(invitee.getByRole('heading', { level: 1, name: 'Join WABA Connect' })).toBeVisible();
      await expect(invitee.getByText(`invited you to ${owner.accountName} as an admin`)).toBeVisible();
      await expect(invitee.getByText(inviteeEmail)).toBeVisible();
      await invitee.getByLabel('Your name', { exact: true }).fill('Carol Invitee');
      await invitee.getByLabel('Choose a password', { exact: true }).fill('carol chose this 1');
      await invitee.getByRole('button', { name: `Join ${owner.accountName}` }).click();

      await expectOverviewOf(invitee, { ...owner, name: 'Carol Invitee' });
      await expect(invitee.locator('mat-toolbar')).toContainText('Carol Invitee');

      // The link worked once: opening it again explains why it no longer works.
      await invitee.goto(link);
      await expect(invitee.getByRole('alert')).toContainText('This invitation has already been used');
    } finally {
      await inviteeContext.close();
    }

    await page.reload();
    const users = page.getByRole('table', { name: 'Users of this account' });
    await expect(users.getByRole('row').filter({ hasText: inviteeEmail })).toContainText('Carol Invitee');
    await expect(page.getByRole('combobox', { name: 'Role of Carol Invitee' })).toHaveValue('admin');
    await expect(page.getByText('No invitations are waiting to be accepted.')).toBeVisible();
  });
});
