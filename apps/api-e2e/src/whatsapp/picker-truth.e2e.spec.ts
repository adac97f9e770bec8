import type { OnboardingNumberView, OnboardingSessionView } from '@waba/contracts';
import type { TestApp } from '../support/test-app';
import { createTenant, type SignedInTenant } from '../support/tenants';
import { embeddedSignup, phoneIdOf, type Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';

/** Issue 15 item 4: the picker tells the truth about every number before anyone presses Connect. */
describe('The onboarding picker tells the truth (API + Meta sandbox)', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  useApiWithSandbox((running) => ({ api, sandbox } = running));

  async function startOnboarding(tenant: SignedInTenant, extra: Record<string, unknown> = {}): Promise<OnboardingSessionView> {
    const { code, wabaId } = await embeddedSignup(sandbox, 'Acme Bakery');
    const response = await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId }, ...extra });
    expect(response.status).toBe(201);
    return response.body as OnboardingSessionView;
  }

  async function connect(tenant: SignedInTenant, phoneNumberIds: string[]): Promise<void> {
    const session = await startOnboarding(tenant);
    const confirm = await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds });
    expect(confirm.body.status).toBe('completed');
  }

  const numberOf = (session: OnboardingSessionView, id: string): OnboardingNumberView | undefined => session.wabas.flatMap((w) => w.numbers).find((n) => n.phoneNumberId === id);

  it('shows every number of a WABA another workspace holds as taken, even one nobody connected, and refuses it with a worded 409', async () => {
    const a = await createTenant(api.server, 'Holder Workspace');
    const b = await createTenant(api.server, 'Second Workspace');
    const main = phoneIdOf(sandbox, '+1 555-010-0199');
    const deliveries = phoneIdOf(sandbox, '+1 555-010-0142');
    const offers = phoneIdOf(sandbox, '+1 555-010-0177');
    await connect(a, [main]);

    const session = await startOnboarding(b);
    // 0142 was never connected by anyone, but its WABA is A's: connecting it can never succeed.
    expect(numberOf(session, main)?.availability).toBe('taken');
    expect(numberOf(session, deliveries)?.availability).toBe('taken');
    expect(numberOf(session, offers)?.availability).toBe('available');
    expect(session.counts).toEqual({ shared: 3, new: 1, connectedHere: 0, taken: 2 });
    expect(session.preselectedPhoneNumberIds).toEqual([]);

    const forced = await b.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: [deliveries, offers] });
    expect(forced.status).toBe(409);
    expect(forced.body.code).toBe('number_taken');
    expect(forced.body.message).toBe('+1 555-010-0142 is connected to another WABA Connect workspace, so it cannot be connected here');
    // Never which workspace.
    expect(JSON.stringify(forced.body)).not.toMatch(/Holder Workspace/);
    expect(JSON.stringify(forced.body)).not.toContain(a.session.account.id);
    // Refused whole: not even the available number was claimed.
    const statusB = await b.browser.get('/api/integrations/whatsapp/oauth/status');
    expect(statusB.body.wabas).toEqual([]);
    const after = await b.browser.get(`/api/integrations/whatsapp/onboarding/${session.id}`);
    expect(after.body.status).toBe('pending');
  });

  it('pre-selects the number whose Reconnect started the consent, and only that one', async () => {
    const tenant = await createTenant(api.server);
    const main = phoneIdOf(sandbox, '+1 555-010-0199');
    const offers = phoneIdOf(sandbox, '+1 555-010-0177');
    await connect(tenant, [main, offers]);
    const disconnected = await tenant.browser.post('/api/integrations/whatsapp/disconnect', { phoneNumberId: main });
    expect(disconnected.status).toBe(200);

    const reconnect = await startOnboarding(tenant, { reconnectPhoneNumberId: main });
    expect(reconnect.reconnectPhoneNumberId).toBe(main);
    expect(reconnect.preselectedPhoneNumberIds).toEqual([main]);
    // Read again (a reload of the picker): the same pre-selection.
    expect((await tenant.browser.get(`/api/integrations/whatsapp/onboarding/${reconnect.id}`)).body.preselectedPhoneNumberIds).toEqual([main]);

    // A plain consent starts with the numbers already connected here, to renew their credential.
    const plain = await startOnboarding(tenant);
    expect(plain.reconnectPhoneNumberId).toBeNull();
    expect(plain.preselectedPhoneNumberIds).toEqual([offers]);

    const bad = await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code: 'x', reconnectPhoneNumberId: 'not-an-id' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/reconnectPhoneNumberId must be a numeric Meta id/);
  });

  it('counts the numbers already connected here, so a consent of only those does not read as new', async () => {
    const tenant = await createTenant(api.server);
    const all = ['+1 555-010-0199', '+1 555-010-0142', '+1 555-010-0177'].map((phone) => phoneIdOf(sandbox, phone));
    await connect(tenant, [all[0]]);
    const mixed = await startOnboarding(tenant);
    expect(mixed.counts).toEqual({ shared: 3, new: 2, connectedHere: 1, taken: 0 });

    await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${mixed.id}/confirm`, { phoneNumberIds: all });
    const again = await startOnboarding(tenant);
    expect(again.counts).toEqual({ shared: 3, new: 0, connectedHere: 3, taken: 0 });
    expect(again.wabas.flatMap((w) => w.numbers).every((n) => n.availability === 'connected_here')).toBe(true);
  });
});
