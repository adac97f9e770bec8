import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, recordForSecretScan, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { consentInPopup, createSandboxBusiness } from './support/sandbox';
import { numberRow, openWhatsapp, pickAndConnect, picker, screenshot } from './support/whatsapp';

/** Creates a signup link on the WhatsApp page; the link as shown once. */
async function createSignupLink(page: Page, note: string, options: { expiry?: string; holderPicks?: boolean } = {}): Promise<string> {
  const section = page.getByRole('region', { name: 'Signup links' });
  await section.getByRole('button', { name: 'Create a signup link' }).click();
  await section.getByLabel('Who is it for? (optional)').fill(note);
  if (options.expiry) await section.getByLabel('Works for').selectOption({ label: options.expiry });
  if (options.holderPicks) await section.getByRole('checkbox', { name: 'Let them choose which numbers to connect' }).check();
  const field = section.getByRole('textbox', { name: 'Signup link' });
  // The previous link may still be shown: wait for the new one to replace it.
  const previous = (await field.count()) > 0 ? await field.inputValue() : null;
  await section.getByRole('button', { name: 'Create link' }).click();
  await expect(field).toBeVisible();
  if (previous) await expect(field).not.toHaveValue(previous);
  const link = await field.inputValue();
  expect(link).toMatch(/\/signup-link#[A-Za-z0-9_-]{43}$/);
  return link;
}

/** Serious and critical axe violations, as in accessibility.spec.ts. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id} (${violation.impact}): ${node.target.join(' ')}`));
}

function linkItem(page: Page, note: string) {
  return page
    .getByRole('list', { name: 'Your signup links' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: `Link for ${note}` }) });
}

test.describe('Onboarding by signup link', () => {
  test('an admin creates a link; someone without an account completes Embedded Signup through it; the admin follows live and connects the numbers', async ({ page, browser }, testInfo) => {
    const admin = createAdminUser();
    await signUp(page, admin);
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Link Bakery');
    await openWhatsapp(page);
    const link = await createSignupLink(page, 'Maria', { expiry: '3 days' });
    const item = linkItem(page, 'Maria');
    await expect(item).toContainText('Not opened yet');

    // The holder: a separate browser context with no account and no session.
    const holderContext = await browser.newContext();
    const stopRecording = recordForSecretScan(holderContext, `${testInfo.titlePath.slice(1).join(' › ')} (link holder)`);
    try {
      const holder = await holderContext.newPage();
      await holder.goto(link);
      await expect(holder.getByRole('heading', { level: 1, name: 'Connect WhatsApp' })).toBeVisible();
      await expect(holder.getByText(`${admin.name} at ${admin.accountName} invites you to connect your WhatsApp Business numbers`)).toBeVisible();
      await expect(holder.getByRole('heading', { name: `What ${admin.accountName} will get` })).toBeVisible();
      await expect(holder.getByText('The WhatsApp Business Accounts you choose in Meta’s window')).toBeVisible();
      expect(await seriousViolations(holder), 'the holder’s page').toEqual([]);
      // The admin's page follows without a reload.
      await expect(item).toContainText('Opened');
      expect(await seriousViolations(page), 'the admin’s links').toEqual([]);

      // First try: the holder closes Meta's window; the admin sees at which step.
      await consentInPopup(holder, () => holder.getByRole('button', { name: 'Continue with Meta' }).click(), null, { action: 'Cancel' });
      await expect(holder.getByRole('status').filter({ hasText: 'You closed Meta’s window at the “business account selection” step' })).toBeVisible();
      await expect(item).toContainText('Cancelled');
      await expect(item).toContainText('They closed Meta’s window at the “business account selection” step');

      // Second try: the holder goes through; the admin is asked to pick.
      await consentInPopup(holder, () => holder.getByRole('button', { name: 'Continue with Meta' }).click(), business.name);
      await expect(holder.getByText(`${admin.name} at ${admin.accountName} now chooses which numbers to connect`)).toBeVisible();
      await screenshot(holder, testInfo, 'signup-link-holder-finished');
      await expect(item).toContainText('Pick the numbers');
      await expect(item.getByRole('list', { name: 'Progress' })).toContainText('Started Meta’s sign-up');
      await expect(item.getByRole('list', { name: 'Progress' })).toContainText('Consent given: 1 WhatsApp Business Account(s) with 1 number(s) shared');

      await item.getByRole('button', { name: 'Pick the numbers' }).click();
      await expect(picker(page).getByRole('heading', { name: 'Choose the numbers to connect' })).toBeVisible();
      await pickAndConnect(page, [business.displayPhone]);
      await expect(numberRow(page, business.displayPhone)).toContainText('Connected');
      await expect(item).toContainText('Numbers connected');
      await screenshot(page, testInfo, 'signup-link-admin-connected');

      // The link worked once: opening it again explains why, in words.
      await holder.goto('about:blank');
      await holder.goto(link);
      const refusal = holder.getByRole('alert').filter({ hasText: 'This link cannot be used.' });
      await expect(refusal).toContainText('This link was already used on');
      await expect(refusal).toContainText(`Ask ${admin.name} at ${admin.accountName} for a new link`);
    } finally {
      await stopRecording();
      await holderContext.close();
    }
  });

  test('the holder picks the numbers when the admin allowed it; a revoked link explains itself', async ({ page, browser }, testInfo) => {
    const admin = createAdminUser();
    await signUp(page, admin);
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Link Florist');
    await openWhatsapp(page);
    const link = await createSignupLink(page, 'Omar', { holderPicks: true });

    const holderContext = await browser.newContext();
    const stopRecording = recordForSecretScan(holderContext, `${testInfo.titlePath.slice(1).join(' › ')} (link holder)`);
    try {
      const holder = await holderContext.newPage();
      await holder.goto(link);
      await consentInPopup(holder, () => holder.getByRole('button', { name: 'Continue with Meta' }).click(), business.name);
      await expect(holder.getByRole('heading', { name: `Choose the numbers ${admin.accountName} may use` })).toBeVisible();
      await expect(linkItem(page, 'Omar')).toContainText('Waiting for their pick');
      await holder.getByRole('checkbox', { name: business.displayPhone }).check();
      await holder.getByRole('button', { name: 'Connect selected numbers' }).click();
      await expect(holder.getByText(`${business.displayPhone} (${business.name}): Connected`)).toBeVisible();
      await expect(linkItem(page, 'Omar')).toContainText('Numbers connected');
      await expect(numberRow(page, business.displayPhone)).toContainText('Connected');

      // A second link, revoked before use.
      const revokedLink = await createSignupLink(page, 'Nobody');
      await page.getByRole('button', { name: 'Done' }).click();
      await linkItem(page, 'Nobody').getByRole('button', { name: 'Revoke Link for Nobody' }).click();
      await expect(linkItem(page, 'Nobody')).toContainText('Revoked');
      // A new document: a link differing only after '#' would otherwise stay on the same page.
      await holder.goto('about:blank');
      await holder.goto(revokedLink);
      await expect(holder.getByRole('alert').filter({ hasText: 'This link cannot be used.' })).toContainText(`${admin.accountName} withdrew this link on`);
    } finally {
      await stopRecording();
      await holderContext.close();
    }
  });

  test('a business Meta refuses: the holder is told, and the admin sees the failure with Meta’s error code', async ({ page, browser }, testInfo) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    await openWhatsapp(page);
    const link = await createSignupLink(page, 'Initech');
    const holderContext = await browser.newContext();
    const stopRecording = recordForSecretScan(holderContext, `${testInfo.titlePath.slice(1).join(' › ')} (link holder)`);
    try {
      const holder = await holderContext.newPage();
      await holder.goto(link);
      await consentInPopup(holder, () => holder.getByRole('button', { name: 'Continue with Meta' }).click(), 'Initech Labs', { action: 'Close' });
      await expect(holder.getByRole('alert').filter({ hasText: 'Meta stopped the sign-up' })).toContainText("Initech Labs can't onboard customers at the moment");
      await expect(holder.getByRole('button', { name: 'Continue with Meta' })).toBeEnabled();
      const item = linkItem(page, 'Initech');
      await expect(item).toContainText('Failed');
      await expect(item).toContainText("The sign-up failed: Initech Labs can't onboard customers at the moment");
      await item.getByText('Details for support').click();
      await expect(item).toContainText('Meta error code 524126, session ID');
    } finally {
      await stopRecording();
      await holderContext.close();
    }
  });
});
