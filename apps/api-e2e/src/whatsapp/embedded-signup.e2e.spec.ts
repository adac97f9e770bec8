import { getConnectionToken } from '@nestjs/mongoose';
import type { OnboardingSessionView, WhatsAppStatusView } from '@waba/contracts';
import type { Connection } from 'mongoose';
import type { TestApp } from '../support/test-app';
import { createTenant, type SignedInTenant } from '../support/tenants';
import { embeddedSignup, phoneIdOf, wabaIdOf, type Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';

describe('Connect WhatsApp by Embedded Signup (API + Meta sandbox)', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  const responses: string[] = [];
  const issuedTokens = new Set<string>();

  useApiWithSandbox((running) => ({ api, sandbox } = running));
  afterEach(() => {
    for (const token of sandbox.world.tokens.keys()) issuedTokens.add(token);
  });

  async function startOnboarding(tenant: SignedInTenant, business = 'Acme Bakery'): Promise<OnboardingSessionView> {
    const { code, wabaId } = await embeddedSignup(sandbox, business);
    const response = await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId } });
    responses.push(JSON.stringify(response.body));
    expect(response.status).toBe(201);
    return response.body as OnboardingSessionView;
  }

  it('discovers every granted WABA and number, then connects two of three across two WABAs', async () => {
    const tenant = await createTenant(api.server);
    const session = await startOnboarding(tenant);
    expect(session.wabas.map((w) => w.name).sort()).toEqual(['Acme Bakery', 'Acme Bakery Marketing']);
    expect(session.wabas.flatMap((w) => w.numbers)).toHaveLength(3);
    expect(session.wabas.flatMap((w) => w.numbers).every((n) => n.availability === 'available')).toBe(true);

    const main = phoneIdOf(sandbox, '+1 555-010-0199');
    const offers = phoneIdOf(sandbox, '+1 555-010-0177');
    const confirm = await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: [main, offers] });
    responses.push(JSON.stringify(confirm.body));
    expect(confirm.status).toBe(200);
    expect(confirm.body.status).toBe('completed');

    const status = (await tenant.browser.get('/api/integrations/whatsapp/oauth/status')).body as WhatsAppStatusView;
    responses.push(JSON.stringify(status));
    expect(status.connected).toBe(true);
    const numbers = status.wabas.flatMap((w) => w.numbers);
    expect(numbers.map((n) => n.displayPhone).sort()).toEqual(['+1 555-010-0177', '+1 555-010-0199']);
    expect(numbers.every((n) => n.state === 'connected')).toBe(true);
    expect(status.activePhoneNumberId).not.toBeNull();
    expect(status.wabas.every((w) => w.subscribed)).toBe(true);

    // Meta's side: our app is now among the subscribers of both WABAs.
    for (const name of ['Acme Bakery', 'Acme Bakery Marketing']) {
      const waba = sandbox.world.wabas.get(wabaIdOf(sandbox, name));
      expect(waba?.subscriptions.map((s) => s.appId)).toContain('100000000000001');
    }
  });

  it('registers a number that is not on the Cloud API yet, with a PIN kept only encrypted', async () => {
    const tenant = await createTenant(api.server);
    const session = await startOnboarding(tenant);
    const deliveries = phoneIdOf(sandbox, '+1 555-010-0142');
    const confirm = await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: [deliveries] });
    expect(confirm.body.status).toBe('completed');

    const stored = await api.app.get<Connection>(getConnectionToken()).collection('phone_numbers').findOne({ phoneNumberId: deliveries });
    const pin = sandbox.world.phoneNumbers.get(deliveries)?.twoStepPin;
    expect(pin).toMatch(/^\d{6}$/);
    expect(stored?.['registration']).toBe('registered');
    expect(String(stored?.['encryptedPin'])).not.toContain(pin);
    expect(JSON.stringify(confirm.body)).not.toContain(pin);
  });

  it('refuses a reused code and changes nothing', async () => {
    const tenant = await createTenant(api.server);
    const { code, wabaId } = await embeddedSignup(sandbox);
    const first = await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId } });
    expect(first.status).toBe(201);
    const again = await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId } });
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/already used/);
  });

  it('refuses a code older than 30 seconds with Meta’s reason', async () => {
    const tenant = await createTenant(api.server);
    const { code } = await embeddedSignup(sandbox);
    await sandbox.control('POST', '/clock/advance', { seconds: 31 });
    const response = await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/Meta refused the authorization code/);
  });

  it('refuses a WABA id from the browser that granular_scopes does not list', async () => {
    const tenant = await createTenant(api.server);
    const { code } = await embeddedSignup(sandbox, 'Acme Bakery');
    const foreign = wabaIdOf(sandbox, 'Northwind Clinics');
    const response = await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId: foreign } });
    expect(response.status).toBe(403);
    expect(response.body.message).toContain(foreign);
    const status = await tenant.browser.get('/api/integrations/whatsapp/oauth/status');
    expect(status.body.wabas).toEqual([]);
  });

  it('still finds the WABAs when debug_token leaves out the target ids (docs/meta.md §11)', async () => {
    await sandbox.control('PATCH', '/settings', { debugTokenShape: 'without_waba_targets' });
    const tenant = await createTenant(api.server);
    const session = await startOnboarding(tenant, 'Northwind Clinics');
    expect(session.wabas.map((w) => w.name)).toEqual(['Northwind Clinics']);
  });

  it('shows a number owned by another tenant as taken and refuses to connect it', async () => {
    const [a, b] = [await createTenant(api.server), await createTenant(api.server)];
    const main = phoneIdOf(sandbox, '+1 555-010-0199');
    const sessionA = await startOnboarding(a);
    await a.browser.post(`/api/integrations/whatsapp/onboarding/${sessionA.id}/confirm`, { phoneNumberIds: [main] });

    const sessionB = await startOnboarding(b);
    const numberForB = sessionB.wabas.flatMap((w) => w.numbers).find((n) => n.phoneNumberId === main);
    expect(numberForB?.availability).toBe('taken');
    const confirm = await b.browser.post(`/api/integrations/whatsapp/onboarding/${sessionB.id}/confirm`, { phoneNumberIds: [main] });
    expect(confirm.status).toBe(409);
    expect(confirm.body.message).toMatch(/connected to another WABA Connect workspace/);
    const statusA = await a.browser.get('/api/integrations/whatsapp/oauth/status');
    expect(statusA.body.wabas.flatMap((w: { numbers: unknown[] }) => w.numbers)).toHaveLength(1);
  });

  it('reports a Meta failure during subscribe and finishes on retry', async () => {
    const tenant = await createTenant(api.server);
    const session = await startOnboarding(tenant);
    const main = phoneIdOf(sandbox, '+1 555-010-0199');
    await sandbox.control('POST', '/faults', { endpoint: 'POST /{waba-id}/subscribed_apps', count: 3, error: { code: 2, message: 'Service temporarily unavailable' } });

    const failed = await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: [main] });
    expect(failed.body.status).toBe('partial');
    expect(JSON.stringify(failed.body)).toMatch(/Subscribing to the WhatsApp Business Account failed/);
    const midway = await tenant.browser.get('/api/integrations/whatsapp/oauth/status');
    expect(midway.body.connected).toBe(false);

    const retried = await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: [main] });
    expect(retried.body.status).toBe('completed');
    expect((await tenant.browser.get('/api/integrations/whatsapp/oauth/status')).body.connected).toBe(true);
  });

  it('reports the register limit (133016) without retrying /register', async () => {
    const tenant = await createTenant(api.server);
    const session = await startOnboarding(tenant);
    const deliveries = phoneIdOf(sandbox, '+1 555-010-0142');
    await sandbox.control('POST', '/faults', { endpoint: 'POST /{phone-number-id}/register', count: 5, error: { code: 133016, message: 'Account register deregister rate limit exceeded' } });
    const confirm = await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: [deliveries] });
    expect(confirm.body.status).toBe('partial');
    expect(JSON.stringify(confirm.body)).toMatch(/10 registration attempts per 72 hours/);
    const faults = (await sandbox.control<Array<{ remaining: number }>>('GET', '/faults')).body;
    expect(faults[0]?.remaining).toBe(4);
  });

  it('never returns or logs a Meta access token', async () => {
    expect(issuedTokens.size).toBeGreaterThan(5);
    const everything = responses.join('\n');
    for (const token of issuedTokens) {
      expect(everything).not.toContain(token);
      expect(api.logs.text).not.toContain(token);
    }
    expect(everything).not.toMatch(/EAA[A-Za-z0-9]{20,}/);
    expect(api.logs.text).not.toMatch(/EAA[A-Za-z0-9]{20,}/);
  });
});
