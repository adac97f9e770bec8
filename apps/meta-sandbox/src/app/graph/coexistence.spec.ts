import { MetaGraphError, type WebhookPayload } from '@waba/meta-graph';
import { eventually, startWebhookReceiver, WebhookReceiver } from '@waba/testing';
import { failure, grantConsent, phoneIdOf, Sandbox, startSandbox, wabaIdOf } from '@waba/testing/sandbox';

const APP_NUMBER = '+44 7700 900461';
const HOUR = 3600_000;

describe('WhatsApp Business app numbers: POST /{phone}/smb_app_data and its webhooks', () => {
  let sandbox: Sandbox;
  let receiver: WebhookReceiver;
  let token: string;
  let phoneId: string;

  beforeEach(async () => {
    sandbox = await startSandbox();
    receiver = await startWebhookReceiver();
    sandbox.world.settings.webhookUrl = receiver.url;
    const consent = await grantConsent(sandbox, { flow: 'sdk', business: 'Northwind Clinics', extras: { setup: {}, featureType: 'whatsapp_business_app_onboarding' } });
    token = (await sandbox.client().exchangeCode({ code: consent.code ?? '' })).access_token;
    await sandbox.client().subscribeApp(token, wabaIdOf(sandbox, 'Northwind Clinics'));
    phoneId = phoneIdOf(sandbox, APP_NUMBER);
    receiver.posts.length = 0; // PARTNER_ADDED from the consent
  });
  afterEach(async () => {
    await receiver.close();
    await sandbox.close();
  });

  const payloads = () => receiver.posts.map((post) => JSON.parse(post.rawBody.toString('utf8')) as WebhookPayload);
  const fields = () => payloads().map((p) => p.entry[0].changes[0].field);

  it('reports the onboarding time on the number, and answers each sync type once with a request_id, then sends its webhooks', async () => {
    const node = await sandbox.client().getPhoneNumber(token, phoneId);
    expect(node).toMatchObject({ is_on_biz_app: true, last_onboarded_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/) });

    const contacts = await sandbox.client().requestSmbAppData(token, phoneId, 'smb_app_state_sync');
    expect(contacts).toEqual({ messaging_product: 'whatsapp', request_id: expect.any(String) });
    const again = await failure<MetaGraphError>(sandbox.client().requestSmbAppData(token, phoneId, 'smb_app_state_sync'));
    expect(again).toMatchObject({ kind: 'invalid', code: 100 });
    expect(again.message).toMatch(/only once/);

    await sandbox.client().requestSmbAppData(token, phoneId, 'history');
    await eventually(() => receiver.posts.length === 4);
    expect(fields()).toEqual(['smb_app_state_sync', 'history', 'history', 'history']);
    const [stateSync, ...history] = payloads().map((p) => p.entry[0].changes[0].value as unknown as Record<string, unknown>);
    expect(stateSync['metadata']).toEqual({ display_phone_number: '447700900461', phone_number_id: phoneId });
    expect((stateSync['state_sync'] as unknown[]).length).toBe(2);
    const progress = history.map((v) => (v['history'] as Array<{ metadata: { phase: number; progress: number } }>)[0].metadata);
    expect(progress).toEqual([
      { phase: 0, chunk_order: 1, progress: 30 },
      { phase: 1, chunk_order: 2, progress: 70 },
      { phase: 2, chunk_order: 3, progress: 100 },
    ]);
  });

  it('tells a declined history share with error 2593109', async () => {
    const phone = sandbox.world.phoneNumbers.get(phoneId);
    if (phone) phone.historySharingDeclined = true;
    await sandbox.client().requestSmbAppData(token, phoneId, 'history');
    await eventually(() => receiver.posts.length === 1);
    const value = payloads()[0].entry[0].changes[0].value as unknown as { history: Array<{ errors: Array<{ code: number }> }> };
    expect(value.history[0].errors[0].code).toBe(2593109);
  });

  it('refuses a request made more than 24 hours after onboarding, and one for a number not onboarded from the app', async () => {
    sandbox.clock.advance(24 * HOUR + 1000);
    const late = await failure<MetaGraphError>(sandbox.client().requestSmbAppData(token, phoneId, 'history'));
    expect(late).toMatchObject({ kind: 'invalid', code: 100 });
    expect(late.message).toMatch(/within 24 hours of onboarding/);
    const other = phoneIdOf(sandbox, '+44 7700 900462');
    await expect(sandbox.client().requestSmbAppData(token, other, 'history')).rejects.toMatchObject({ code: 100, message: expect.stringMatching(/not onboarded from the WhatsApp Business app/) });
    expect(receiver.posts).toEqual([]);
  });

  it('refuses /register on a number on the app', async () => {
    await expect(sandbox.client().registerPhone(token, phoneId, '123456')).rejects.toMatchObject({ kind: 'invalid', code: 100 });
    expect(sandbox.world.phoneNumbers.get(phoneId)?.platformType).toBe('CLOUD_API');
  });
});
