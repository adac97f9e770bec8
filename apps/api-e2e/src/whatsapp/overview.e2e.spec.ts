import type { OnboardingSessionView, OverviewView } from '@waba/contracts';
import request from 'supertest';
import { embeddedSignup, phoneIdOf, wabaIdOf, type Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';
import { createTenant, type SignedInTenant } from '../support/tenants';
import type { TestApp } from '../support/test-app';
import { connectMintedToken } from '../token-refresh/token-check.support';
import { deliverAndSettle } from '../support/webhook-delivery';
import { accountUpdate, inboundMessage } from '@waba/testing';

/** Issue 15 item 9: GET /api/overview, the tenant's dashboard in one call. */
describe('The Overview (GET /api/overview)', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  useApiWithSandbox((running) => ({ api, sandbox } = running));

  const deliver = async (payload: object) => expect(await deliverAndSettle(api, payload)).toBe(200);

  async function consent(tenant: SignedInTenant): Promise<OnboardingSessionView> {
    const { code, wabaId } = await embeddedSignup(sandbox, 'Acme Bakery');
    const response = await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId } });
    expect(response.status).toBe(201);
    return response.body as OnboardingSessionView;
  }

  async function connectedTenant(displayPhones: string[]): Promise<SignedInTenant> {
    const tenant = await createTenant(api.server);
    const session = await consent(tenant);
    const confirm = await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: displayPhones.map((p) => phoneIdOf(sandbox, p)) });
    expect(confirm.body.status).toBe('completed');
    return tenant;
  }

  const overviewOf = async (tenant: SignedInTenant): Promise<OverviewView> => {
    const response = await tenant.browser.get('/api/overview');
    expect(response.status).toBe(200);
    return response.body as OverviewView;
  };

  it('is empty for a new tenant, and refused without a session', async () => {
    const tenant = await createTenant(api.server);
    expect(await overviewOf(tenant)).toEqual({
      health: { byVerdict: [], attention: [], oldestCheckAt: null },
      templates: [],
      numbers: [],
      byStatus: [],
      attention: [],
      onboarding: [],
      recentEvents: [],
      eventTotal: 0,
    });
    expect((await request(api.server).get('/api/overview')).status).toBe(401);
  });

  it('counts numbers by their one status, lists what needs attention in words, the open consent and the latest five events', async () => {
    const tenant = await connectedTenant(['+1 555-010-0199', '+1 555-010-0177']);
    const acme = wabaIdOf(sandbox, 'Acme Bakery');
    const main = phoneIdOf(sandbox, '+1 555-010-0199');
    const offers = phoneIdOf(sandbox, '+1 555-010-0177');
    for (let i = 1; i <= 6; i += 1) await deliver(inboundMessage(acme, main, { id: `wamid.OVERVIEW${i}`, text: `Hello ${i}` }));
    await deliver(accountUpdate(acme, 'ACCOUNT_RESTRICTION'));
    const open = await consent(tenant);

    const overview = await overviewOf(tenant);
    expect(overview.numbers.map((n) => [n.displayPhone, n.status.label])).toEqual(
      expect.arrayContaining([
        ['+1 555-010-0199', 'Restricted'],
        ['+1 555-010-0177', 'Flagged'],
      ]),
    );
    expect(overview.byStatus.map((s) => `${s.count} ${s.label}`).sort()).toEqual(['1 Flagged', '1 Restricted']);

    expect(overview.attention).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'restricted_account', title: 'Meta restricted Acme Bakery', fix: 'review_account', wabaId: acme, phoneNumberId: null }),
        expect.objectContaining({ kind: 'flagged', title: '+1 555-010-0177 is flagged for low quality', fix: 'review_number', phoneNumberId: offers }),
      ]),
    );
    expect(overview.attention).toHaveLength(2);
    expect(overview.attention.every((item) => item.detail.length > 20)).toBe(true);

    expect(overview.onboarding).toEqual([{ id: open.id, source: 'embedded_signup', expiresAt: open.expiresAt, wabaCount: 2, numberCount: 3 }]);

    // Six messages, the restriction, and the active number that went with it.
    expect(overview.eventTotal).toBe(8);
    expect(overview.recentEvents).toHaveLength(5);
    expect(overview.recentEvents.slice(0, 2).map((e) => e.title)).toEqual(['No active number', 'Meta restricted the account']);

    // Another tenant sees none of it.
    expect(await overviewOf(await createTenant(api.server))).toMatchObject({ numbers: [], attention: [], onboarding: [], eventTotal: 0 });
  });

  it('asks for one Reconnect for an account whose access was removed, instead of a row per number', async () => {
    const tenant = await connectedTenant(['+1 555-010-0177']);
    await deliver(accountUpdate(wabaIdOf(sandbox, 'Acme Bakery Marketing'), 'PARTNER_APP_UNINSTALLED'));
    const overview = await overviewOf(tenant);
    expect(overview.attention).toEqual([expect.objectContaining({ kind: 'reconnect_needed', tone: 'bad', title: 'Reconnect Acme Bakery Marketing', fix: 'reconnect', phoneNumberId: null })]);
    expect(overview.byStatus).toEqual([expect.objectContaining({ label: 'Reconnect needed', count: 1 })]);
  });

  it('warns, with a Reconnect, of a credential that expires within a week', async () => {
    const tenant = await createTenant(api.server);
    await connectMintedToken(sandbox, tenant, { expiresInSeconds: 3 * 24 * 3600 + 600 });
    const overview = await overviewOf(tenant);
    expect(overview.attention).toEqual([
      expect.objectContaining({ kind: 'credential_expiring', tone: 'warn', title: 'The credential of Northwind Clinics expires in 3 days', fix: 'reconnect', phoneNumberId: null }),
    ]);
    expect(overview.byStatus).toEqual([expect.objectContaining({ kind: 'credential_expiring', label: 'Credential expiring', count: 1 })]);
  });

  it('drops a consent from "in progress" once its numbers are picked', async () => {
    const tenant = await createTenant(api.server);
    const session = await consent(tenant);
    expect((await overviewOf(tenant)).onboarding.map((s) => s.id)).toEqual([session.id]);
    await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: [phoneIdOf(sandbox, '+1 555-010-0199')] });
    const overview = await overviewOf(tenant);
    expect(overview.onboarding).toEqual([]);
    expect(overview.byStatus).toEqual([expect.objectContaining({ kind: 'connected', label: 'Connected', count: 1 })]);
  });
});
