import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { createSandboxBusiness, createSandboxToken, SANDBOX_URL } from './support/sandbox';
import { addNumberByHand, numberRow, openWhatsapp, screenshot } from './support/whatsapp';

/** Meta's reviewer deciding the display-name change, through the sandbox's control API. */
async function reviewName(phoneNumberId: string, decision: 'APPROVED' | 'REJECTED', rejectionReason?: string): Promise<void> {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/phone-numbers/${phoneNumberId}/name-review`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ decision, rejectionReason }),
  });
  expect(response.status, await response.text()).toBe(200);
}

async function profileOf(phoneNumberId: string): Promise<Record<string, unknown> | undefined> {
  type Phone = { id: string; businessProfile?: Record<string, unknown> };
  const world = (await (await fetch(`${SANDBOX_URL}/_sandbox/world`)).json()) as { businesses: Array<{ wabas: Array<{ phoneNumbers: Phone[] }> }> };
  return world.businesses.flatMap((b) => b.wabas.flatMap((w) => w.phoneNumbers)).find((p) => p.id === phoneNumberId)?.businessProfile;
}

/** Issue 13: a number's business profile and display name, edited from its details page. */
test.describe('Number details', () => {
  test('a tenant edits the business profile within Meta limits and asks for a new display name, and sees Meta decide it live', async ({ page }, testInfo) => {
    const user = createAdminUser();
    await signUp(page, user);
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Profile');
    await openWhatsapp(page);
    await addNumberByHand(page, business, await createSandboxToken(business));

    await numberRow(page, business.displayPhone)
      .getByRole('link', { name: `Profile, name and PIN of ${business.displayPhone}` })
      .click();
    await expect(page).toHaveURL(new RegExp(`/whatsapp/numbers/${business.phoneNumberId}$`));
    await expect(page.getByRole('heading', { name: business.displayPhone, level: 1 })).toBeVisible();

    // Meta's limits are shown, and a bad website is caught before anything is sent.
    const profile = page.getByRole('form', { name: 'Business profile' });
    await expect(profile).toContainText('1 to 139 characters');
    await profile.getByLabel('About').fill('Fresh bread every morning');
    await expect(profile).toContainText('25 / 139');
    await profile.getByLabel('Website', { exact: true }).fill('bakery.example');
    await profile.getByRole('button', { name: 'Save profile' }).click();
    await expect(profile).toContainText('Start the address with http:// or https://.');
    expect(await profileOf(business.phoneNumberId)).toBeUndefined();

    await profile.getByLabel('Website', { exact: true }).fill('https://bakery.example');
    await profile.getByLabel('Category').selectOption({ label: 'Restaurant' });
    await profile.getByLabel('Email').fill('hello@bakery.example');
    await profile.getByRole('button', { name: 'Save profile' }).click();
    await expect(profile.getByRole('status')).toHaveText('Profile saved at Meta.');
    expect(await profileOf(business.phoneNumberId)).toMatchObject({ about: 'Fresh bread every morning', websites: ['https://bakery.example'], vertical: 'RESTAURANT', email: 'hello@bakery.example' });

    await page.reload();
    await expect(page.getByRole('form', { name: 'Business profile' }).getByLabel('About')).toHaveValue('Fresh bread every morning');
    await expect(page.getByTestId('registration-budget')).toContainText('10 left');

    // The display name: Meta's rules in words, a request, and the decision arriving by webhook.
    await expect(page.getByText('about 10 changes per number in 30 days (0 asked')).toBeVisible();
    const nameForm = page.getByRole('form', { name: 'Request a new display name' });
    await nameForm.getByLabel('New display name').fill(`${business.name} Bread`);
    await nameForm.getByRole('button', { name: 'Ask Meta for this name' }).click();
    const request = page.getByTestId('name-request');
    await expect(request).toHaveAttribute('data-status', 'in_review');
    await expect(request).toContainText('Meta is reviewing the name');
    await expect(nameForm.getByRole('button', { name: 'Ask Meta for this name' })).toBeDisabled();
    await expect(page.getByTestId('current-name')).toHaveText(business.name);

    await reviewName(business.phoneNumberId, 'REJECTED', 'NAME_FORMAT_UNACCEPTABLE');
    await expect(request).toHaveAttribute('data-status', 'rejected');
    await expect(request).toContainText("breaks Meta's display name guidelines");
    await expect(page.getByText('Approved by Meta: WhatsApp shows this name.')).toBeVisible();
    await screenshot(page, testInfo, 'number-details-name-rejected');

    await nameForm.getByLabel('New display name').fill(`${business.name} Bakery`);
    await nameForm.getByRole('button', { name: 'Ask Meta for this name' }).click();
    await expect(request).toHaveAttribute('data-status', 'in_review');
    await reviewName(business.phoneNumberId, 'APPROVED');
    await expect(request).toHaveAttribute('data-status', 'approved');
    await expect(request).toContainText('It shows once the number is registered again');
    await expect(page.getByTestId('current-name')).toHaveText(business.name);

    // Added by hand, the number was registered elsewhere: WABA Connect holds no PIN to register it
    // again with, so the owner sets one first.
    await expect(page.getByText('WABA Connect has no PIN for this number')).toBeVisible();
    const pinForm = page.getByRole('form', { name: 'Change the two-step PIN' });
    await pinForm.getByLabel('New PIN').fill('24681');
    await pinForm.getByRole('button', { name: 'Change PIN' }).click();
    await expect(pinForm).toContainText('The PIN must be exactly 6 digits.');
    await pinForm.getByLabel('New PIN').fill('246810');
    await pinForm.getByLabel('Your password').fill(user.password);
    await pinForm.getByRole('button', { name: 'Change PIN' }).click();
    await expect(pinForm.getByRole('status')).toHaveText('The PIN was changed at Meta and stored encrypted.');

    // Registering again spends one of Meta's attempts: the budget is shown, then asked about.
    await expect(page.getByText('10 left (attempts made outside WABA Connect count too)').first()).toBeVisible();
    await page.getByRole('button', { name: 'Register again with the stored PIN' }).click();
    await expect(page.getByRole('alertdialog')).toContainText("one of Meta's 10 registration attempts per 72 hours (10 left)");
    await page.getByRole('alertdialog').getByRole('button', { name: 'Register again' }).click();
    await expect(request).toHaveAttribute('data-status', 'applied');
    await expect(page.getByTestId('current-name')).toHaveText(`${business.name} Bakery`);
    await expect(page.getByTestId('registration-budget')).toContainText("made 1 of Meta's 10 allowed registration attempts");
    await screenshot(page, testInfo, 'number-details-name-applied');
  });
});
