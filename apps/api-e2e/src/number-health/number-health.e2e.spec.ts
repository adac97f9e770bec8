import { getConnectionToken } from '@nestjs/mongoose';
import type { EventsPageView, HealthCheckKey, HealthCheckOutcome, NumberHealthListView, NumberHealthView, OverviewView } from '@waba/contracts';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { connectNumbers, phoneIdOf, wabaIdOf, type Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';
import { createTenant, type SignedInTenant } from '../support/tenants';
import type { TestApp } from '../support/test-app';
import { deliverAndSettle, waitUntil } from '../support/webhook-delivery';
import { inboundMessage, qualityUpdate } from '@waba/testing';

const MAIN = '+1 555-010-0199';
/** Not on the Cloud API in the demo world: connecting registers it with a PIN we keep. */
const DELIVERIES = '+1 555-010-0142';

/** Issue 13, "Can this number send?": every verdict path against the sandbox, each check failing alone. */
describe('Number health (GET /api/number-health, POST /api/number-health/check and the fixes)', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  useApiWithSandbox((running) => ({ api, sandbox } = running));

  // Meta sends webhooks to our app's callback (App Dashboard > Webhooks): set in the sandbox, as in `npm start`.
  beforeEach(async () => {
    await sandbox.control('PATCH', '/settings', { webhookUrl: 'http://localhost:3999/api/webhooks/whatsapp' });
  });

  const acme = () => wabaIdOf(sandbox, 'Acme Bakery');
  const main = () => phoneIdOf(sandbox, MAIN);

  async function connected(displayPhones = [MAIN]): Promise<SignedInTenant> {
    const tenant = await createTenant(api.server);
    await connectNumbers(sandbox, tenant, displayPhones);
    return tenant;
  }

  async function checkNow(tenant: SignedInTenant, phoneNumberId = main()): Promise<NumberHealthView> {
    const response = await tenant.browser.post('/api/number-health/check');
    expect(response.status).toBe(200);
    const view = (response.body as NumberHealthListView).numbers.find((n) => n.phoneNumberId === phoneNumberId);
    if (!view) throw new Error(`no verdict for ${phoneNumberId}: ${JSON.stringify(response.body)}`);
    return view;
  }

  /** The checks that do not pass, as [key, outcome]: a path is "alone" when it is the only one. */
  const failing = (view: NumberHealthView): Array<[HealthCheckKey, HealthCheckOutcome]> => view.checks.filter((c) => c.outcome !== 'pass').map((c) => [c.key, c.outcome]);
  const checkOf = (view: NumberHealthView, key: HealthCheckKey) => view.checks.find((c) => c.key === key);

  it('says "can send" for a healthy number, every check in words, and only to its own tenant', async () => {
    const tenant = await connected();
    const view = await checkNow(tenant);
    expect(view).toMatchObject({ verdict: 'can_send', verdictLabel: 'Can send', summary: 'Nothing stops this number from sending.', displayPhone: MAIN, wabaId: acme() });
    expect(failing(view)).toEqual([]);
    expect(checkOf(view, 'meta_health')?.summary).toBe('Meta reports the number, its account, business and our app all available for messaging.');
    expect(checkOf(view, 'messaging_limit')?.summary).toBe('Up to 2,000 customers a day can be messaged first.');
    expect((await tenant.browser.get('/api/number-health')).body).toEqual({ numbers: [view] });

    const other = await createTenant(api.server);
    expect((await other.browser.get('/api/number-health')).body).toEqual({ numbers: [] });
    expect((await other.browser.post(`/api/number-health/wabas/${acme()}/resubscribe`)).status).toBe(404);
    expect((await other.browser.post(`/api/number-health/${main()}/re-register`)).status).toBe(404);
    expect((await request(api.server).get('/api/number-health')).status).toBe(401);
  });

  it("cannot send when Meta's health_status blocks the number: Meta's reason in words, the code for support, a tenant event live on the Events page", async () => {
    const tenant = await connected();
    await checkNow(tenant);
    await sandbox.control('POST', `/health/${main()}`, {
      canSendMessage: 'BLOCKED',
      errorCode: 141006,
      errorDescription: 'There is an error with the payment method.',
      possibleSolution: 'Add a new payment method to the account.',
    });

    const view = await checkNow(tenant);
    expect(view).toMatchObject({ verdict: 'cannot_send', verdictLabel: 'Cannot send', summary: 'Meta blocks messaging for this number: There is an error with the payment method.' });
    expect(failing(view)).toEqual([['meta_health', 'blocks']]);
    expect(checkOf(view, 'meta_health')).toMatchObject({ whatToDo: 'Add a new payment method to the account.', details: `PHONE_NUMBER ${main()}: BLOCKED, error 141006` });

    const events = (await tenant.browser.get('/api/events?types=phone_number.health')).body as EventsPageView;
    expect(events.items.map((e) => [e.title, e.detail])).toEqual([[`${MAIN}: cannot send`, 'Meta blocks messaging for this number: There is an error with the payment method.']]);

    // Unblocked: "can send again" is the next event.
    await sandbox.control('POST', `/health/${main()}`, { canSendMessage: 'AVAILABLE' });
    expect((await checkNow(tenant)).verdict).toBe('can_send');
    expect(((await tenant.browser.get('/api/events?types=phone_number.health')).body as EventsPageView).items[0].title).toBe(`${MAIN}: can send again`);
  });

  it('is limited when Meta limits the WABA, quoting what Meta says', async () => {
    const tenant = await connected();
    await sandbox.control('POST', `/health/${acme()}`, { canSendMessage: 'LIMITED', additionalInfo: ['The account may start at most 250 conversations a day.'] });
    const view = await checkNow(tenant);
    expect(view.verdict).toBe('limited');
    expect(failing(view)).toEqual([['meta_health', 'limits']]);
    expect(view.summary).toBe('Meta limits messaging for its WhatsApp Business Account: The account may start at most 250 conversations a day.');
  });

  it('cannot send when Meta no longer accepts the credential, and marks it for Reconnect', async () => {
    const tenant = await connected();
    for (const token of sandbox.world.tokens.values()) if (token !== sandbox.world.partnerToken) await sandbox.control('POST', '/tokens/revoke', { token: token.value, subcode: 460 });
    const view = await checkNow(tenant);
    expect(view.verdict).toBe('cannot_send');
    expect(checkOf(view, 'credential')).toMatchObject({ outcome: 'blocks', fix: 'reconnect', summary: 'Meta no longer accepts the credential for this number.' });
    // Everything else Meta would have said is "not checked", never a guess.
    expect(failing(view).filter(([, outcome]) => outcome !== 'unknown')).toEqual([['credential', 'blocks']]);
    expect((await tenant.browser.get('/api/phone-numbers')).body.wabas[0].connection.status).toBe('needs_reauth');
  });

  it('warns, and still says "can send", when the credential expires within a week', async () => {
    await sandbox.control('PATCH', '/settings', { businessTokenExpiresInSeconds: 3 * 24 * 3600 });
    const tenant = await connected();
    const view = await checkNow(tenant);
    expect(view.verdict).toBe('can_send');
    expect(failing(view)).toEqual([['credential', 'warn']]);
    expect(checkOf(view, 'credential')).toMatchObject({ summary: 'The credential expires in 2 days.', fix: 'reconnect' });
  });

  it('is limited when our app is not subscribed to the WABA, and "Subscribe again" fixes it', async () => {
    const tenant = await connected();
    const waba = sandbox.world.wabas.get(acme());
    if (waba) waba.subscriptions = waba.subscriptions.filter((s) => s.appId !== sandbox.world.app.id);
    const view = await checkNow(tenant);
    expect(view.verdict).toBe('limited');
    expect(failing(view)).toEqual([
      ['subscription', 'limits'],
      ['callback', 'unknown'],
    ]);
    expect(checkOf(view, 'subscription')).toMatchObject({ fix: 'resubscribe', summary: 'WABA Connect is not subscribed to this WhatsApp Business Account.' });

    const fixed = await tenant.browser.post(`/api/number-health/wabas/${acme()}/resubscribe`);
    expect(fixed.status).toBe(200);
    expect((fixed.body as NumberHealthView[])[0].verdict).toBe('can_send');
    expect(sandbox.world.wabas.get(acme())?.subscriptions.map((s) => s.appId)).toContain(sandbox.world.app.id);
  });

  it('is limited when our subscription sends the webhooks to another address, and "Subscribe again" takes them back', async () => {
    const tenant = await connected();
    const ours = sandbox.world.wabas.get(acme())?.subscriptions.find((s) => s.appId === sandbox.world.app.id);
    if (ours) ours.overrideCallbackUri = 'https://elsewhere.example/hook';
    const view = await checkNow(tenant);
    expect(failing(view)).toEqual([['callback', 'limits']]);
    expect(checkOf(view, 'callback')).toMatchObject({ fix: 'resubscribe', details: 'override_callback_uri https://elsewhere.example/hook' });
    const fixed = await tenant.browser.post(`/api/number-health/wabas/${acme()}/resubscribe`);
    expect((fixed.body as NumberHealthView[])[0].verdict).toBe('can_send');
  });

  it("is limited when our app's own webhook subscription lacks a field we need, and says support fixes it", async () => {
    const tenant = await connected();
    await sandbox.control('POST', '/app-subscription', { fields: ['messages', 'account_update', 'phone_number_name_update'] });
    const view = await checkNow(tenant);
    expect(view.verdict).toBe('limited');
    expect(failing(view)).toEqual([['webhook_fields', 'limits']]);
    expect(checkOf(view, 'webhook_fields')).toMatchObject({ fix: null, details: 'missing fields: phone_number_quality_update' });
    expect(checkOf(view, 'webhook_fields')?.whatToDo).toContain('contact WABA Connect support');
  });

  it('warns when no webhook ever arrived for a number connected days ago, and says when the last one came', async () => {
    const tenant = await connected();
    const db = api.app.get<Connection>(getConnectionToken());
    await db.collection('phone_numbers').updateOne({ phoneNumberId: main() }, { $set: { connectedAt: new Date(Date.now() - 3 * 24 * 3600_000) } });
    const quiet = await checkNow(tenant);
    expect(quiet.verdict).toBe('can_send');
    expect(failing(quiet)).toEqual([['last_webhook', 'warn']]);
    expect(checkOf(quiet, 'last_webhook')?.summary).toBe('No webhook has ever arrived for this account.');

    expect(await deliverAndSettle(api, inboundMessage(acme(), main(), { id: 'wamid.HEALTH1', text: 'Hi' }))).toBe(200);
    expect(checkOf(await checkNow(tenant), 'last_webhook')).toMatchObject({ outcome: 'pass', summary: 'The last webhook for this account arrived less than an hour ago.' });
  });

  it('cannot send when the number left the Cloud API, and "Register again" with the stored PIN fixes it', async () => {
    const tenant = await connected([DELIVERIES]);
    const deliveries = phoneIdOf(sandbox, DELIVERIES);
    expect((await checkNow(tenant, deliveries)).verdict).toBe('can_send');
    await sandbox.control('PATCH', `/phone-numbers/${deliveries}`, { registered: false });

    const view = await checkNow(tenant, deliveries);
    expect(view.verdict).toBe('cannot_send');
    expect(checkOf(view, 'registration')).toMatchObject({ outcome: 'blocks', fix: 're_register', summary: 'The number is not registered on the Cloud API.' });
    // Meta's own health says the same (code 133010) and offers the same fix.
    expect(checkOf(view, 'meta_health')).toMatchObject({ outcome: 'blocks', fix: 're_register' });

    const fixed = await tenant.browser.post(`/api/number-health/${deliveries}/re-register`);
    expect(fixed.status).toBe(200);
    expect((fixed.body as NumberHealthView[]).find((n) => n.phoneNumberId === deliveries)?.verdict).toBe('can_send');
  });

  it('refuses "Register again" in words for a number whose PIN we do not keep', async () => {
    const tenant = await connected();
    const refused = await tenant.browser.post(`/api/number-health/${main()}/re-register`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('keeps no two-step PIN');
  });

  it.each([
    ['a banned number', { status: 'BANNED' }, 'cannot_send', ['number_status', 'meta_health']],
    ['a restricted number', { status: 'RESTRICTED' }, 'limited', ['number_status', 'meta_health']],
    ['low quality', { qualityRating: 'RED' }, 'limited', ['quality']],
    ['medium quality', { qualityRating: 'YELLOW' }, 'can_send', ['quality']],
    ['a 50-a-day messaging limit', { messagingLimit: 'TIER_50' }, 'can_send', ['messaging_limit']],
    ['a rejected display name', { nameStatus: 'DECLINED' }, 'limited', ['name_status']],
    ['a display name in review', { nameStatus: 'PENDING_REVIEW' }, 'can_send', ['name_status']],
  ] as const)("reads %s from Meta's number fields", async (_name, change, verdict, keys) => {
    const tenant = await connected();
    await sandbox.control('PATCH', `/phone-numbers/${main()}`, change);
    const view = await checkNow(tenant);
    expect(view.verdict).toBe(verdict);
    expect(
      failing(view)
        .map(([key]) => key)
        .sort(),
    ).toEqual([...keys].sort());
  });

  it('reads the WABA again on its own when a webhook says the number changed', async () => {
    const tenant = await connected();
    // Connecting queued a read of its own a moment later: let it pass, so only the webhook's read can see the change.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await checkNow(tenant)).verdict).toBe('can_send');
    await sandbox.control('PATCH', `/phone-numbers/${main()}`, { qualityRating: 'RED' });
    expect(await deliverAndSettle(api, qualityUpdate(acme(), '15550100199', 'FLAGGED', 'TIER_2K'))).toBe(200);
    await waitUntil(async () => ((await tenant.browser.get('/api/number-health')).body as NumberHealthListView).numbers[0]?.verdict === 'limited', 15_000, 'the refresh a webhook queued');
  });

  it('puts the verdicts on the Overview: numbers by verdict and what needs attention first, with the fix', async () => {
    const tenant = await connected([MAIN, DELIVERIES]);
    await sandbox.control('POST', `/health/${main()}`, { canSendMessage: 'BLOCKED' });
    await sandbox.control('PATCH', `/phone-numbers/${phoneIdOf(sandbox, DELIVERIES)}`, { nameStatus: 'DECLINED' });
    await checkNow(tenant);
    const overview = (await tenant.browser.get('/api/overview')).body as OverviewView;
    expect(overview.health.byVerdict).toEqual([
      { verdict: 'cannot_send', label: 'Cannot send', count: 1 },
      { verdict: 'limited', label: 'Limited', count: 1 },
    ]);
    expect(overview.health.attention.map((a) => [a.kind, a.title, a.fix])).toEqual([
      ['cannot_send', `${MAIN} cannot send`, null],
      ['name_rejected', `The display name of ${DELIVERIES} was not approved`, null],
    ]);
    expect(overview.health.attention[0].detail).toContain('payment method');
  });
});
