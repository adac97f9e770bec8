import { expect, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';

/** The Meta sandbox that `tools/start.ts` runs for the browser tests (see playwright.config.mts). */
export const SANDBOX_URL = process.env['E2E_SANDBOX_URL'] ?? `http://localhost:${process.env['E2E_SANDBOX_PORT'] ?? '4301'}`;

async function control<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${SANDBOX_URL}/_sandbox${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`sandbox ${path} answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as T;
}

export interface SandboxBusiness {
  name: string;
  businessId: string;
  wabaId: string;
  phoneNumberId: string;
  displayPhone: string;
}

/**
 * A business of its own for one test, with one WABA and one number already on Cloud API, so tests
 * never compete for the demo world's numbers (a number belongs to one tenant at a time).
 */
export async function createSandboxBusiness(label: string): Promise<SandboxBusiness> {
  const id = randomUUID().slice(0, 8);
  const name = `${label} ${id}`;
  const business = await control<{ id: string }>('/businesses', { name });
  const waba = await control<{ id: string }>('/wabas', { businessId: business.id, name });
  const suffix = String(Math.floor(Math.random() * 9000) + 1000);
  const displayPhone = `+1 555-020-${suffix}`;
  const phone = await control<{ id: string }>('/phone-numbers', {
    wabaId: waba.id,
    displayPhoneNumber: displayPhone,
    verifiedName: name,
  });
  return { name, businessId: business.id, wabaId: waba.id, phoneNumberId: phone.id, displayPhone };
}

/**
 * One more number on a sandbox business's WABA, so a test can add it beside the first;
 * `registered: false`: not on the Cloud API yet, so connecting registers it (and sets its PIN).
 */
export async function addSandboxNumber(business: SandboxBusiness, options: { displayPhone?: string; registered?: boolean; label?: string } = {}): Promise<SandboxBusiness> {
  const displayPhone = options.displayPhone ?? `+1 555-030-${String(Math.floor(Math.random() * 9000) + 1000)}`;
  const phone = await control<{ id: string }>('/phone-numbers', {
    wabaId: business.wabaId,
    displayPhoneNumber: displayPhone,
    verifiedName: `${business.name} ${options.label ?? 'second'}`,
    ...(options.registered === undefined ? {} : { registered: options.registered }),
  });
  return { ...business, phoneNumberId: phone.id, displayPhone };
}

/** Asks the sandbox to send a signed `messages` webhook to the API, as Meta would. */
export async function sendMessageWebhook(phoneNumberId: string, text: string): Promise<void> {
  const result = await control<{ deliveries: unknown[]; skipped: unknown[] }>('/webhooks', {
    events: [{ type: 'message', phoneNumberId, text }],
  });
  expect(result.skipped, 'the sandbox skipped the webhook').toEqual([]);
}

/**
 * Connect WhatsApp through the Embedded Signup popup: pick `businessName` on the sandbox's consent
 * page, optionally untick some numbers, press Continue or Cancel, and wait for the popup to close.
 */
export async function consentInPopup(
  page: Page,
  opener: () => Promise<void>,
  businessName: string | null,
  options: { untick?: string[]; action?: 'Continue' | 'Cancel' | 'Close' } = {},
): Promise<void> {
  const popupOpened = page.context().waitForEvent('page');
  await opener();
  const popup = await popupOpened;
  await expect(popup).toHaveURL(new RegExp(`^${SANDBOX_URL}/`));
  if (businessName) {
    await popup.getByRole('link', { name: businessName, exact: true }).click();
  }
  for (const number of options.untick ?? []) {
    await popup.getByRole('checkbox', { name: number }).uncheck();
  }
  const closed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: options.action ?? 'Continue' }).click();
  await closed;
}

/** A system-user token for the business (as copied from Meta Business Settings). */
export async function createSandboxToken(business: SandboxBusiness): Promise<string> {
  const result = await control<{ access_token: string }>('/tokens', {
    businessId: business.businessId,
    wabaIds: [business.wabaId],
    expiresInSeconds: 30 * 24 * 3600,
  });
  return result.access_token;
}

/** Meta stops accepting the token (error 190), as when the business removes the app. */
export async function revokeSandboxToken(token: string): Promise<void> {
  await control('/tokens/revoke', { token });
}

/** Asks the sandbox to send one signed webhook of any kind (quality, account update ...) to the API. */
export async function sendWebhook(event: Record<string, unknown> & { type: string }): Promise<void> {
  const result = await control<{ deliveries: unknown[]; skipped: unknown[] }>('/webhooks', { events: [event] });
  expect(result.skipped, 'the sandbox skipped the webhook').toEqual([]);
}
