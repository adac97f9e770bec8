import AxeBuilder from '@axe-core/playwright';
import type { Page, Response, TestInfo } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, test } from './support/fixtures';
import { createAdminUser, signUp } from './support/admin-user';
import { consentInPopup, createSandboxBusiness, createSandboxToken, SANDBOX_URL } from './support/sandbox';
import { BROWSER_EXCHANGES_FILE, type RecordedBrowserExchange } from './support/secret-scan-files';
import { addNumberByHand, numberRow, openWhatsapp, pickAndConnect, screenshot } from './support/whatsapp';

/**
 * Issue 15, item 11: the Meta sandbox's `/_sandbox` page as a demo console. A person sends webhooks,
 * revokes tokens, injects faults and moves the clock there, and sees the product react.
 */

/**
 * Opens the console in its own tab. Everything the tab receives from the sandbox is appended to the
 * run's secret-scan file, so `zz-secret-scan.spec.ts` checks it for every token the sandbox minted.
 */
async function openConsole(page: Page, testInfo: TestInfo): Promise<Page> {
  const consolePage = await page.context().newPage();
  const where = testInfo.titlePath.slice(1).join(' › ');
  consolePage.on('response', (response: Response) => void recordSandboxResponse(response, where));
  await consolePage.goto(`${SANDBOX_URL}/_sandbox`);
  await expect(consolePage.getByRole('heading', { level: 1, name: 'Meta sandbox' })).toBeVisible();
  return consolePage;
}

async function recordSandboxResponse(response: Response, testTitle: string): Promise<void> {
  const url = new URL(response.url());
  if (!url.pathname.startsWith('/_sandbox')) return;
  const entry: RecordedBrowserExchange = {
    where: `${testTitle}: sandbox console ${response.request().method()} ${url.pathname}`,
    status: response.status(),
    headers: await response.allHeaders().catch(() => ({})),
    text: await response.text().catch(() => ''),
    acceptedSecrets: [],
  };
  mkdirSync(dirname(BROWSER_EXCHANGES_FILE), { recursive: true });
  appendFileSync(BROWSER_EXCHANGES_FILE, `${JSON.stringify(entry)}\n`);
}

function section(consolePage: Page, heading: string) {
  return consolePage.getByRole('region', { name: heading });
}

/** Serious and critical axe violations, as in accessibility.spec.ts. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id} (${violation.impact}): ${node.target.join(' ')}`));
}

test.describe('Meta sandbox console', () => {
  // A fault left pending by a failed test would break the specs after this one.
  test.afterEach(async () => {
    await fetch(`${SANDBOX_URL}/_sandbox/faults`, { method: 'DELETE' });
  });

  test('webhooks sent from the console show up on the Events page', async ({ page }, testInfo) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Console Cafe');
    await openWhatsapp(page);
    await consentInPopup(page, () => page.getByRole('button', { name: 'Connect WhatsApp' }).click(), business.name);
    await pickAndConnect(page, [business.displayPhone]);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    const events = page.getByRole('list', { name: 'Events' });

    const consolePage = await openConsole(page, testInfo);
    const webhooks = section(consolePage, 'Send a webhook');
    const number = `${business.name} · ${business.displayPhone} (${business.phoneNumberId})`;
    await webhooks.getByRole('combobox', { name: 'Number' }).selectOption({ label: number });
    const text = `Hello from the console ${randomUUID().slice(0, 8)}`;
    await webhooks.getByRole('combobox', { name: 'Webhook to send' }).selectOption({ label: 'a text message' });
    await webhooks.getByRole('textbox', { name: 'Message text, caption or reaction emoji (optional)' }).fill(text);
    await webhooks.getByRole('button', { name: 'Send the webhook to the chosen number' }).click();
    await expect(webhooks.getByRole('status')).toHaveText(new RegExp(`^Delivered a text message for ${escapeRegExp(number)}: http://\\S+/api/webhooks/whatsapp answered 200\\.$`));
    await webhooks.getByText('Payload sent').click();
    await expect(webhooks.locator('#webhook-payload-body')).toContainText(`"body": "${text}"`);
    await expect(events.getByRole('listitem').filter({ hasText: text })).toContainText('Messages received');

    await webhooks.getByRole('combobox', { name: 'Webhook to send' }).selectOption({ label: 'a reaction to a message' });
    await webhooks.getByRole('textbox', { name: 'Message text, caption or reaction emoji (optional)' }).fill('🎉');
    await webhooks.getByRole('button', { name: 'Send the webhook to the chosen number' }).click();
    await expect(webhooks.getByRole('status')).toContainText(`Delivered a reaction to a message for ${number}`);
    await expect(events.getByRole('listitem').filter({ hasText: 'Reacted 🎉' })).toBeVisible();

    await webhooks.getByRole('combobox', { name: 'Webhook to send' }).selectOption({ label: 'account_update ACCOUNT_VIOLATION' });
    await webhooks.getByRole('button', { name: 'Send the webhook to the chosen number' }).click();
    await expect(webhooks.getByRole('status')).toContainText('Delivered account_update ACCOUNT_VIOLATION');
    await expect(events.getByRole('listitem').filter({ hasText: 'Meta reported a policy violation' })).toBeVisible();
    await screenshot(consolePage, testInfo, 'sandbox-console-webhooks');
  });

  test('a token revoked from the console: the WhatsApp page reports the dead credential after a check', async ({ page }, testInfo) => {
    await signUp(page, createAdminUser());
    await expect(page).toHaveURL(/\/overview$/);
    const business = await createSandboxBusiness('E2E Console Bakery');
    const token = await createSandboxToken(business);
    await openWhatsapp(page);
    await addNumberByHand(page, business, token);
    const row = numberRow(page, business.displayPhone);
    await expect(row).toContainText('Connected');

    const consolePage = await openConsole(page, testInfo);
    const tokens = section(consolePage, 'Revoke or expire a token');
    const choice = tokens.getByRole('combobox', { name: 'Token' }).locator('option', { hasText: business.name });
    await expect(choice).toHaveCount(1);
    await expect(choice).toContainText(`System-user token of ${business.name}, ending …${token.slice(-4)}`);
    await expect(choice).toContainText('valid until');
    await tokens.getByRole('combobox', { name: 'Token' }).selectOption((await choice.getAttribute('value')) ?? '');
    await tokens.getByRole('combobox', { name: 'Reason Meta gives when revoked' }).selectOption({ label: '458: the business removed the app' });
    await tokens.getByRole('button', { name: 'Revoke the chosen token' }).click();
    await expect(tokens.getByRole('status')).toHaveText(
      `Revoked the token ending …${token.slice(-4)} of ${business.name}: Graph now answers error 190, subcode 458 (the business removed the app), to every call made with it.`,
    );
    await expect(choice).toContainText('revoked (190/458)');
    expect(await consolePage.content()).not.toContain(token);

    await row.getByRole('button', { name: `Test connection of ${business.displayPhone}` }).click();
    await expect(row.getByRole('status')).toContainText('Meta no longer accepts the stored credential for this number');
    await screenshot(consolePage, testInfo, 'sandbox-console-token-revoked');
  });

  test('faults and latency are injected, listed and cleared from the console, with errors in words', async ({ page }, testInfo) => {
    const consolePage = await openConsole(page, testInfo);
    const faults = section(consolePage, 'Inject a fault or latency');
    const pending = faults.getByRole('list', { name: 'Pending faults' });
    await faults.getByRole('combobox', { name: 'Graph endpoint' }).selectOption('GET /{waba-id}/phone_numbers');
    await faults.getByRole('combobox', { name: 'What Meta answers' }).selectOption({ label: '80007: the WABA reached its rate limit' });
    await faults.getByRole('spinbutton', { name: 'For how many calls' }).fill('2');
    await faults.getByRole('spinbutton', { name: 'Delay before the answer, in milliseconds (0 to 60000)' }).fill('250');
    await faults.getByRole('button', { name: 'Inject the fault' }).click();
    const words = 'the next 2 calls of GET /{waba-id}/phone_numbers will wait 250 ms, then answer Graph error 80007 (HTTP 400)';
    await expect(faults.getByRole('status')).toHaveText(`Injected: ${words}.`);
    await expect(pending.getByRole('listitem')).toHaveText([`T${words.slice(1)}.`]);

    // Refused by the page, then by the sandbox: both say what is wrong.
    await faults.getByRole('spinbutton', { name: 'Another Graph error code (optional, replaces the choice above)' }).fill('1.5');
    await faults.getByRole('button', { name: 'Inject the fault' }).click();
    await expect(faults.getByRole('alert')).toHaveText('"Another Graph error code (optional, replaces the choice above)" must be a whole number, 0 or more.');
    await faults.getByRole('spinbutton', { name: 'Another Graph error code (optional, replaces the choice above)' }).fill('');
    await faults.getByRole('spinbutton', { name: 'Delay before the answer, in milliseconds (0 to 60000)' }).fill('70000');
    await faults.getByRole('button', { name: 'Inject the fault' }).click();
    await expect(faults.getByRole('alert')).toHaveText('The sandbox refused it (HTTP 400): latencyMs must not be greater than 60000.');
    await expect(faults.getByRole('status')).toHaveText('');

    await faults.getByRole('button', { name: 'Clear every pending fault' }).click();
    await expect(faults.getByRole('status')).toHaveText('Cleared every pending fault: Graph answers normally again.');
    await expect(faults.getByRole('alert')).toBeHidden();
    await expect(pending.getByRole('listitem')).toHaveCount(0);
    await expect(faults.getByText('None: Graph answers normally.')).toBeVisible();
    await screenshot(consolePage, testInfo, 'sandbox-console-faults');
  });

  test('the clock moves forward from the console and shows the sandbox time', async ({ page }, testInfo) => {
    const consolePage = await openConsole(page, testInfo);
    const clock = section(consolePage, 'Move the clock');
    const shown = clock.locator('time');
    const before = Date.parse((await shown.getAttribute('datetime')) ?? '');
    // A minute: later specs compare the API's own clock with what Meta answers.
    await clock.getByRole('spinbutton', { name: 'Advance the clock by' }).fill('1');
    await clock.getByRole('combobox', { name: 'Unit' }).selectOption({ label: 'minutes' });
    await clock.getByRole('button', { name: 'Advance the clock' }).click();
    await expect(clock.getByRole('status')).toHaveText(/^Moved the clock forward by 1 minute: it is now \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC in the sandbox\.$/);
    const after = Date.parse((await shown.getAttribute('datetime')) ?? '');
    expect(after - before).toBeGreaterThanOrEqual(60_000);
    expect(after - before).toBeLessThan(120_000);
    await expect(clock).toContainText(/Sandbox time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \((\d+ \w+ )*1 minute ahead of the real time\)/);

    await clock.getByRole('spinbutton', { name: 'Advance the clock by' }).fill('0');
    await clock.getByRole('button', { name: 'Advance the clock' }).click();
    await expect(clock.getByRole('alert')).toHaveText('Enter how far to move the clock: a whole number, 1 or more.');
    await screenshot(consolePage, testInfo, 'sandbox-console-clock');
  });
});

const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];

for (const { name, viewport } of VIEWPORTS) {
  test.describe(`Meta sandbox console accessibility (${name})`, () => {
    test.use({ viewport });

    test('the console, with a result and an error shown, has no serious or critical violations', async ({ page }, testInfo) => {
      const consolePage = await openConsole(page, testInfo);
      expect(await seriousViolations(consolePage), '/_sandbox').toEqual([]);
      const faults = section(consolePage, 'Inject a fault or latency');
      await faults.getByRole('button', { name: 'Clear every pending fault' }).click();
      await expect(faults.getByRole('status')).toContainText('Cleared every pending fault');
      const clock = section(consolePage, 'Move the clock');
      await clock.getByRole('spinbutton', { name: 'Advance the clock by' }).fill('0');
      await clock.getByRole('button', { name: 'Advance the clock' }).click();
      await expect(clock.getByRole('alert')).toBeVisible();
      expect(await seriousViolations(consolePage), '/_sandbox with answers').toEqual([]);
    });
  });
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
