import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { addSandboxNumber, consentInPopup, createSandboxBusiness, createSandboxToken, sendWebhook } from './support/sandbox';
import { addNumberByHand, importWithToken, numberRow, openWhatsapp, pickAndConnect } from './support/whatsapp';

/** Serious and critical axe violations on the page as it is now, as "rule: target" lines (empty when none). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id} (${violation.impact}): ${node.target.join(' ')}`));
}

const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];

/** Issue 15: axe on every page of the SPA, desktop and phone: no serious or critical violation. */
for (const { name, viewport } of VIEWPORTS) {
  test.describe(`Accessibility (${name})`, () => {
    test.use({ viewport });

    test('the signed-out pages have no serious or critical violations', async ({ page }) => {
      for (const [path, heading] of [
        ['/login', 'Log in'],
        ['/signup', 'Create your account'],
        ['/invite?token=not-a-real-invitation', null],
      ] as const) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1, ...(heading ? { name: heading } : {}) })).toBeVisible();
        expect(await seriousViolations(page), path).toEqual([]);
      }
    });

    test('the Overview, empty and then with attention rows, onboarding in progress and events, has no serious or critical violations', async ({ page }) => {
      await signUp(page, createAdminUser());
      await expect(page).toHaveURL(/\/overview$/);
      await expect(page.getByTestId('overview-first-step')).toBeVisible();
      expect(await seriousViolations(page), '/overview (empty)').toEqual([]);

      const flagged = await createSandboxBusiness('E2E Axe Overview');
      await openWhatsapp(page);
      await addNumberByHand(page, flagged, await createSandboxToken(flagged));
      await sendWebhook({ type: 'phone_number_quality_update', phoneNumberId: flagged.phoneNumberId, event: 'FLAGGED' });
      const pending = await createSandboxBusiness('E2E Axe Overview Pending');
      await importWithToken(page, pending);

      await page.goto('/overview');
      await expect(page.getByTestId('overview-attention')).toContainText('flagged for low quality');
      await expect(page.getByTestId('overview-onboarding')).toBeVisible();
      await expect(page.getByTestId('overview-events').getByRole('listitem').first()).toBeVisible();
      expect(await seriousViolations(page), '/overview (populated)').toEqual([]);
    });

    test('the signed-in pages, with a connected number, have no serious or critical violations', async ({ page }) => {
      await signUp(page, createAdminUser());
      await expect(page).toHaveURL(/\/overview$/);
      const business = await createSandboxBusiness('E2E Axe');
      await openWhatsapp(page);
      await addNumberByHand(page, business, await createSandboxToken(business));
      await page.getByRole('button', { name: 'Add a number by hand' }).first().click();
      expect(await seriousViolations(page), '/whatsapp').toEqual([]);

      // The picker, opened by importing a second business with its token.
      const second = await createSandboxBusiness('E2E Axe Picker');
      await importWithToken(page, second);
      expect(await seriousViolations(page), '/whatsapp?onboarding').toEqual([]);

      for (const [path, heading] of [
        ['/overview', /^Welcome/],
        ['/events', 'Events'],
        ['/settings', 'Settings'],
        ['/integrations/whatsapp/callback?code=not-a-code&state=not-a-state', null],
      ] as const) {
        await page.goto(path);
        await expect(heading ? page.getByRole('heading', { level: 1, name: heading }) : page.getByRole('heading', { level: 1 })).toBeVisible();
        expect(await seriousViolations(page), path).toEqual([]);
      }
    });

    test("the WhatsApp page's questions (credential choice, PIN prompt, active-number warning) have no serious or critical violations", async ({ page }) => {
      await signUp(page, createAdminUser());
      await expect(page).toHaveURL(/\/overview$/);
      const business = await createSandboxBusiness('E2E Axe Questions');
      await openWhatsapp(page);
      await consentInPopup(page, () => page.getByRole('button', { name: 'Connect WhatsApp' }).click(), business.name);
      await pickAndConnect(page, [business.displayPhone]);

      // A second number, not on the Cloud API yet: adding it by hand asks which credential to keep.
      const { phoneNumberId: second, displayPhone: display } = await addSandboxNumber(business, { displayPhone: `+1 555-040-${viewport.width}`, registered: false });
      await page.getByRole('button', { name: 'Add a number by hand' }).first().click();
      const panel = page.getByRole('region', { name: 'Add a number by hand' });
      await panel.getByLabel('Phone number ID').fill(second);
      await panel.getByLabel('WhatsApp Business Account ID').fill(business.wabaId);
      await panel.getByRole('textbox', { name: 'Access token', exact: true }).fill(await createSandboxToken(business));
      await panel.getByRole('button', { name: 'Add number' }).click();
      await expect(panel.getByRole('group', { name: 'Which credential should this account keep?' })).toBeVisible();
      expect(await seriousViolations(page), 'credential choice').toEqual([]);
      await panel.getByRole('radio', { name: /Keep the current credential/ }).check();
      await panel.getByRole('button', { name: 'Add number with this choice' }).click();
      // Its "is connected" notice, once announced: for its first moments Material keeps the text and
      // the OK button in an aria-hidden element (then moves them into the live region), which axe flags.
      await expect(page.locator('mat-snack-bar-container [aria-live]')).toContainText('is connected.');

      const row = numberRow(page, display);
      await row.getByRole('button', { name: `Reveal PIN of ${display}` }).click();
      await expect(row.getByLabel('Your password')).toBeVisible();
      expect(await seriousViolations(page), 'PIN prompt').toEqual([]);

      // The "is connected" notice fades out first: behind the dialog's backdrop it would be dimmed below contrast.
      await expect(page.locator('mat-snack-bar-container')).toHaveCount(0, { timeout: 10_000 });
      await sendWebhook({ type: 'phone_number_quality_update', phoneNumberId: second, event: 'FLAGGED' });
      await expect(row.getByTestId('number-status')).toContainText('Flagged');
      await page.getByRole('button', { name: `Make ${display} active` }).click();
      await expect(page.getByRole('alertdialog')).toBeVisible();
      expect(await seriousViolations(page), 'active-number warning').toEqual([]);
    });
  });
}
