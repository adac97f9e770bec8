import { getConnectionToken } from '@nestjs/mongoose';
import type { CoexistenceSyncView, EventsPageView, OnboardingSessionView } from '@waba/contracts';
import type { Connection } from 'mongoose';
import type { AddressInfo } from 'node:net';
import { CoexistenceService } from '@waba/api/coexistence/coexistence.service';
import { grantConsent, phoneIdOf, type Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';
import type { TestApp } from '../support/test-app';
import { createTenant, type SignedInTenant } from '../support/tenants';

const APP_NUMBER = '+44 7700 900461';
const COEXISTENCE = { setup: {}, featureType: 'whatsapp_business_app_onboarding' };

describe('WhatsApp Business app numbers (coexistence) against the Meta sandbox', () => {
  let api: TestApp;
  let sandbox: Sandbox;

  useApiWithSandbox((running) => ({ api, sandbox } = running));

  beforeAll(async () => {
    await api.app.listen(0, '127.0.0.1');
  });
  /** Meta sends the sync webhooks to our app's callback: the API under test. */
  function sendWebhooksToTheApi(): void {
    sandbox.world.settings.webhookUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}/api/webhooks/whatsapp`;
  }
  beforeEach(sendWebhooksToTheApi);

  /** The coexistence Embedded Signup, finished as Meta finishes it: only `waba_id`. */
  async function onboardFromTheApp(tenant: SignedInTenant): Promise<OnboardingSessionView> {
    const consent = await grantConsent(sandbox, { flow: 'sdk', business: 'Northwind Clinics', extras: COEXISTENCE });
    const finish = consent.messages.find((m) => m['type'] === 'WA_EMBEDDED_SIGNUP') as { event: string; data: Record<string, unknown> };
    expect(finish.event).toBe('FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING');
    expect(Object.keys(finish.data)).toEqual(['waba_id']);
    const started = await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code: consent.code, sessionInfo: { event: finish.event, wabaId: finish.data['waba_id'] } });
    expect(started.status).toBe(201);
    return started.body as OnboardingSessionView;
  }

  async function confirm(tenant: SignedInTenant, session: OnboardingSessionView): Promise<OnboardingSessionView> {
    const confirmed = await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: [phoneIdOf(sandbox, APP_NUMBER)] });
    expect(confirmed.status).toBe(200);
    return confirmed.body as OnboardingSessionView;
  }

  async function syncOf(tenant: SignedInTenant): Promise<CoexistenceSyncView | undefined> {
    const list = (await tenant.browser.get('/api/phone-numbers/coexistence')).body as CoexistenceSyncView[];
    return list.find((s) => s.phoneNumberId === phoneIdOf(sandbox, APP_NUMBER));
  }

  async function until(tenant: SignedInTenant, done: (sync: CoexistenceSyncView) => boolean, what: string): Promise<CoexistenceSyncView> {
    // Up to 25 s (a BullMQ job and Meta's webhooks), so the state is reported before the test's 30 s timeout.
    for (let i = 0; i < 250; i++) {
      const sync = await syncOf(tenant);
      if (sync && done(sync)) return sync;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${what}: ${JSON.stringify(await syncOf(tenant))}`);
  }

  it('connects from a waba_id-only finish without /register, asks for contacts and history once, and applies their webhooks', async () => {
    const tenant = await createTenant(api.server);
    const session = await onboardFromTheApp(tenant);
    // The number is found through the WABA: the finish message named none.
    expect(session.wabas.flatMap((w) => w.numbers).map((n) => n.displayPhone)).toContain(APP_NUMBER);
    expect((await confirm(tenant, session)).status).toBe('completed');

    const phone = sandbox.world.phoneNumbers.get(phoneIdOf(sandbox, APP_NUMBER));
    expect(phone?.registrationRequestsMs).toEqual([]); // no /register call reached Meta
    const stored = await api.app.get<Connection>(getConnectionToken()).collection('phone_numbers').findOne({ phoneNumberId: phone?.id });
    expect(stored?.['registration']).toBe('not_needed');
    expect(stored?.['isOnBizApp']).toBe(true);

    const done = await until(tenant, (s) => s.contacts.state === 'complete' && s.history.state === 'complete', 'contacts and history never completed');
    expect(done.contacts.received).toBe(2);
    expect(done.history).toMatchObject({ progress: 100, phase: 2, chunks: 3, messages: 12, error: null });
    expect(Object.keys(phone?.smbSyncRequests ?? {}).sort()).toEqual(['history', 'smb_app_state_sync']);

    // A second run of the sync (a retried job, another instance) sends nothing: Meta would refuse it.
    const requestsBefore = JSON.stringify(phone?.smbSyncRequests);
    await api.app.get(CoexistenceService).requestSync(phone?.id ?? '');
    expect(JSON.stringify(phone?.smbSyncRequests)).toBe(requestsBefore);
    expect(await syncOf(tenant)).toMatchObject({ contacts: { state: 'complete' }, history: { state: 'complete' } });

    // The business writes from the app: the echo is a tenant event and counted on the number.
    const sent = await sandbox.control('POST', '/webhooks', { events: [{ type: 'smb_message_echo', phoneNumberId: phone?.id, text: 'Sent from my phone', recipientId: '447700900555' }] });
    expect(sent.status).toBe(202);
    await until(tenant, (s) => s.echoes === 1, 'the echo never arrived');
    const events = (await tenant.browser.get('/api/events?types=message.sent_from_app')).body as EventsPageView;
    expect(events.items).toEqual([expect.objectContaining({ title: 'Sent from the WhatsApp Business app to +447700900555', detail: 'Sent from my phone', phoneNumberId: phone?.id })]);
  });

  it('starts the sync over when the business onboards the number again (a new window), and only then', async () => {
    const tenant = await createTenant(api.server);
    await confirm(tenant, await onboardFromTheApp(tenant));
    await until(tenant, (s) => s.history.state === 'complete' && s.contacts.state === 'complete', 'the first sync never completed');
    const phone = sandbox.world.phoneNumbers.get(phoneIdOf(sandbox, APP_NUMBER));
    const first = phone?.smbSyncRequests?.history?.requestId;

    sandbox.clock.advance(60_000); // Meta's onboarding times have whole seconds: the next one is later
    await confirm(tenant, await onboardFromTheApp(tenant));
    await until(tenant, (s) => s.history.state === 'complete' && s.contacts.state === 'complete' && s.onboardedAt !== null, 'the second sync never completed');
    await until(tenant, () => !!phone?.smbSyncRequests?.history && phone.smbSyncRequests.history.requestId !== first, 'the history was not asked for again');
    expect(Object.keys(phone?.smbSyncRequests ?? {}).sort()).toEqual(['history', 'smb_app_state_sync']);
  });

  it('shows in words that the business declined to share its chat history', async () => {
    const tenant = await createTenant(api.server);
    const phone = sandbox.world.phoneNumbers.get(phoneIdOf(sandbox, APP_NUMBER));
    if (phone) phone.historySharingDeclined = true;
    await confirm(tenant, await onboardFromTheApp(tenant));
    const sync = await until(tenant, (s) => s.history.state === 'declined' && s.contacts.state === 'complete', 'the decline never arrived');
    expect(sync.history.error).toMatch(/chose not to share/);
    expect(sync.history.messages).toBe(0);
  });

  it("syncs a number connected again within the same second of Meta's clock once its old data is gone", async () => {
    const first = await createTenant(api.server);
    await confirm(first, await onboardFromTheApp(first));
    await until(first, (s) => s.contacts.state === 'complete' && s.history.state === 'complete', 'the first sync never completed');
    const firstOnboardedMs = sandbox.world.phoneNumbers.get(phoneIdOf(sandbox, APP_NUMBER))?.onboardedAtMs ?? 0;

    // What the next test's set-up does: Meta's world made anew (same ids), our data deleted, while
    // Redis keeps the finished job. Then the same number onboards in the same second as before.
    await sandbox.control('POST', '/reset');
    await api.clearData();
    sendWebhooksToTheApi();
    const second = await createTenant(api.server);
    sandbox.clock.advance(Math.floor(firstOnboardedMs / 1000) * 1000 - sandbox.clock.nowMs());
    const session = await onboardFromTheApp(second);
    expect(Math.floor((sandbox.world.phoneNumbers.get(phoneIdOf(sandbox, APP_NUMBER))?.onboardedAtMs ?? 0) / 1000)).toBe(Math.floor(firstOnboardedMs / 1000));
    await confirm(second, session);
    await until(second, (s) => s.contacts.state === 'complete' && s.history.state === 'complete', 'the second sync never ran');
  });

  it('explains the 24-hour window when Meta refuses a sync asked for too late', async () => {
    const tenant = await createTenant(api.server);
    const session = await onboardFromTheApp(tenant);
    sandbox.clock.advance(25 * 3600 * 1000); // a day and an hour later on Meta's side
    await confirm(tenant, session);
    const sync = await until(tenant, (s) => s.contacts.state === 'failed' && s.history.state === 'failed', 'the refusal was never recorded');
    for (const part of [sync.contacts, sync.history]) expect(part.error).toMatch(/only once, within 24 hours/);
    expect(sandbox.world.phoneNumbers.get(phoneIdOf(sandbox, APP_NUMBER))?.smbSyncRequests).toEqual({});
  });

  it('never registers an app number, and Meta would refuse it', async () => {
    const tenant = await createTenant(api.server);
    await confirm(tenant, await onboardFromTheApp(tenant));
    const phone = sandbox.world.phoneNumbers.get(phoneIdOf(sandbox, APP_NUMBER));
    expect(phone?.registrationRequestsMs).toEqual([]);
    // The business token the signup gave us: /register with it is refused for a number on the app.
    const businessToken = [...sandbox.world.tokens.values()].at(-1)?.value ?? '';
    await expect(sandbox.client().registerPhone(businessToken, phone?.id ?? '', '123456')).rejects.toMatchObject({
      kind: 'invalid',
      code: 100,
      message: expect.stringMatching(/WhatsApp Business app/),
    });
  });
});
