import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { consentInPopup, createSandboxBusiness, SANDBOX_URL } from './support/sandbox';
import { openWhatsapp, pickAndConnect, screenshot } from './support/whatsapp';

/** The sandbox's control API, for what Meta would do to templates. */
async function sandboxPost<T>(path: string, body: object): Promise<T> {
  const response = await fetch(`${SANDBOX_URL}/_sandbox${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`sandbox ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

test.describe('Templates', () => {
  test('shows a WABA’s templates in words, filters them, and follows a status change at Meta live', async ({ page }, testInfo) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Patisserie');
    const [receipt] = await sandboxPost<Array<{ id: string }>>(`/wabas/${business.wabaId}/templates`, {
      name: 'e2e_receipt',
      category: 'UTILITY',
      qualityScore: 'GREEN',
      bodyText: 'Thanks {{1}}, your receipt is {{2}}.',
    });
    await sandboxPost(`/wabas/${business.wabaId}/templates`, { name: 'e2e_big_sale', category: 'MARKETING', status: 'REJECTED', rejectedReason: 'ABUSIVE_CONTENT' });
    await openWhatsapp(page);
    await consentInPopup(page, () => page.getByRole('button', { name: 'Connect WhatsApp' }).click(), business.name);
    await pickAndConnect(page, [business.displayPhone]);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Message templates' })).toBeVisible();
    const list = page.getByRole('list', { name: 'Templates' });
    const receiptItem = list.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'e2e_receipt' }) });
    const saleItem = list.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'e2e_big_sale' }) });
    // Connecting read the templates from Meta in the background; the page shows them once read.
    await expect(receiptItem).toBeVisible({ timeout: 20_000 });
    await expect(receiptItem).toContainText('Approved');
    await expect(receiptItem).toContainText('High quality');
    await expect(receiptItem).toContainText('Thanks {{1}}, your receipt is {{2}}.');
    // A rejection in words, what to do, and Meta's code only under "details for support".
    await expect(saleItem).toContainText('Rejected');
    await expect(saleItem).toContainText('Against WhatsApp policy');
    await expect(saleItem).toContainText('Rewrite it');
    await expect(saleItem.getByText('ABUSIVE_CONTENT')).toBeHidden();
    await saleItem.getByText('Details for support').click();
    await expect(saleItem.getByText('ABUSIVE_CONTENT')).toBeVisible();

    // Filter by status: only the rejected one.
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Rejected', exact: true }).click();
    await expect(saleItem).toBeVisible();
    await expect(receiptItem).toHaveCount(0);
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Any status' }).click();
    await expect(receiptItem).toBeVisible();

    // Meta pauses the template: the webhook reaches the API, and the page changes without a reload.
    await page.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true));
    const changed = await sandboxPost<{ skipped: unknown[] }>(`/templates/${receipt.id}/changes`, { status: 'PAUSED', quality: 'RED' });
    expect(changed.skipped, 'the sandbox skipped the webhook').toEqual([]);
    await expect(receiptItem).toContainText('Paused');
    await expect(receiptItem).toContainText('customers blocked or reported it');
    await expect(receiptItem).toContainText('Low quality');
    expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);
    await screenshot(page, testInfo, 'templates-live');

    // The pause is an event on the Events page.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    await expect(page.getByRole('list', { name: 'Events' }).getByText('Template e2e_receipt (en_US): paused')).toBeVisible();
  });
});
