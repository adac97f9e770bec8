import type { OnboardingSessionView, PhoneNumberView, WhatsAppStatusView } from '@waba/contracts';
import type { TestApp } from '../support/test-app';
import { createTenant, type SignedInTenant } from '../support/tenants';
import { embeddedSignup, phoneIdOf, wabaIdOf, type Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';

const APP_ID = '100000000000001';

describe('Resuming an onboarding where it stopped (API + Meta sandbox)', () => {
  let api: TestApp;
  let sandbox: Sandbox;

  useApiWithSandbox((running) => ({ api, sandbox } = running));
  afterEach(() => sandbox.control('DELETE', '/faults'));

  async function confirmWith(tenant: SignedInTenant, displayPhone: string, business = 'Acme Bakery'): Promise<string> {
    const { code, wabaId } = await embeddedSignup(sandbox, business);
    const session = (await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId } })).body as OnboardingSessionView;
    const phoneNumberId = phoneIdOf(sandbox, displayPhone);
    const confirmed = await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: [phoneNumberId] });
    expect(confirmed.body.status).toBe('partial');
    return phoneNumberId;
  }

  const numberOf = async (tenant: SignedInTenant, id: string): Promise<PhoneNumberView | undefined> =>
    ((await tenant.browser.get('/api/integrations/whatsapp/oauth/status')).body as WhatsAppStatusView).wabas.flatMap((w) => w.numbers).find((n) => n.phoneNumberId === id);

  it('tries a failed subscription again at once, and connects the number', async () => {
    const tenant = await createTenant(api.server);
    await sandbox.control('POST', '/faults', { endpoint: 'POST /{waba-id}/subscribed_apps', count: 1, error: { code: 200, message: 'Permissions error' } });
    const id = await confirmWith(tenant, '+1 555-010-0199');
    expect(await numberOf(tenant, id)).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/^Subscribing to the WhatsApp Business Account failed/) });

    const retried = await tenant.browser.post(`/api/phone-numbers/${id}/retry`, {});
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ phoneNumberId: id, state: 'connected' });
    expect(sandbox.world.wabas.get(wabaIdOf(sandbox, 'Acme Bakery'))?.subscriptions.map((s) => s.appId)).toContain(APP_ID);

    const again = await tenant.browser.post(`/api/phone-numbers/${id}/retry`, {});
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already connected: there is nothing to retry/);
  });

  it('registers again only when the admin asks, saying what it costs, and within the budget', async () => {
    const tenant = await createTenant(api.server);
    await sandbox.control('POST', '/faults', { endpoint: 'POST /{phone-number-id}/register', count: 1, error: { code: 100, message: 'Invalid parameter' } });
    const id = await confirmWith(tenant, '+1 555-010-0142');
    expect(await numberOf(tenant, id)).toMatchObject({ state: 'failed', registration: 'failed' });
    const registrationsBefore = sandbox.world.phoneNumbers.get(id)?.registrationRequestsMs.length ?? 0;

    const unasked = await tenant.browser.post(`/api/phone-numbers/${id}/retry`, {});
    expect(unasked.status).toBe(409);
    expect(unasked.body.code).toBe('registration_needs_consent');
    expect(unasked.body.message).toMatch(/still has to be registered for the Cloud API\. WABA Connect made 1 of Meta's 10 allowed registration attempts in the last 72 hours; 9 left/);
    expect(sandbox.world.phoneNumbers.get(id)?.registrationRequestsMs.length ?? 0).toBe(registrationsBefore);

    const asked = await tenant.browser.post(`/api/phone-numbers/${id}/retry`, { register: true });
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({ state: 'connected', registration: 'registered' });
    const budget = await tenant.browser.get(`/api/phone-numbers/${id}/registration-budget`);
    expect(budget.body).toMatchObject({ usedByUs: 2, remaining: 8 });
  });

  it('refuses bad input and numbers of another workspace in words', async () => {
    const tenant = await createTenant(api.server);
    const bad = await tenant.browser.post('/api/phone-numbers/123/retry', { register: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/register must be true or false/);
    const unknown = await tenant.browser.post('/api/phone-numbers/123/retry', {});
    expect(unknown.status).toBe(404);
  });
});
