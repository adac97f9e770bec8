import { verifyWebhookSignature, WebhookPayload } from '@waba/meta-graph';
import { eventually, startWebhookReceiver, WebhookReceiver } from '@waba/testing';
import { businessToken, grantConsent, phoneIdOf, Sandbox, startSandbox, wabaIdOf } from '@waba/testing/sandbox';
import { WebhookDelivery } from './webhook-sender.service';

describe('webhook sender (real node:http receiver)', () => {
  let sandbox: Sandbox;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    sandbox = await startSandbox({ webhookUrl: receiver.url, webhookRetry: { baseDelayMs: 20, maxAttempts: 4 } });
  });
  afterEach(async () => {
    await sandbox.close();
    await receiver.close();
  });

  const send = (body: Record<string, unknown>) => sandbox.control<{ deliveries: { id: string }[]; skipped: { reason: string }[] }>('POST', '/webhooks', body);
  const delivery = async (id: string) => (await sandbox.control<WebhookDelivery>('GET', `/webhooks/deliveries/${id}`)).body;
  /** POSTs carrying `field` (signups in setup also announce PARTNER_ADDED to the same receiver). */
  const postsOf = (field: string) => receiver.posts.filter((post) => (JSON.parse(post.rawBody.toString()) as WebhookPayload).entry[0].changes[0].field === field);
  const subscribe = async (wabaName: string) => {
    const token = await businessToken(sandbox, 'Acme Bakery');
    await sandbox.client().subscribeApp(token, wabaIdOf(sandbox, wabaName));
  };

  it("signs the exact bytes sent, non-ASCII text included, in Meta's escaped form", async () => {
    await subscribe('Acme Bakery');
    const text = 'Grüße aus Köln 😀 — ¿entregan el domingo?';
    const result = await send({ events: [{ type: 'message', phoneNumberId: phoneIdOf(sandbox, '+1 555-010-0199'), text }] });
    expect(result.status).toBe(202);
    await eventually(() => postsOf('messages').length === 1);

    const [post] = postsOf('messages');
    expect(post.headers['content-type']).toBe('application/json');
    expect(verifyWebhookSignature(post.rawBody, post.headers['x-hub-signature-256'] as string, 'test-app-secret')).toBe(true);
    expect(post.rawBody.toString('utf8')).toContain('Gr\\u00fc\\u00dfe');
    expect(post.rawBody.every((byte) => byte < 0x80)).toBe(true);
    const payload = JSON.parse(post.rawBody.toString('utf8')) as WebhookPayload;
    const change = payload.entry[0].changes[0];
    expect(change.field === 'messages' && change.value.messages?.[0].text?.body).toBe(text);
    // A signature over re-serialized JSON would not match these bytes.
    const reserialized = Buffer.from(JSON.stringify(payload));
    expect(verifyWebhookSignature(reserialized, post.headers['x-hub-signature-256'] as string, 'test-app-secret')).toBe(false);
  });

  it('signs raw UTF-8 bytes just as well when unicode escaping is off', async () => {
    await sandbox.control('PATCH', '/settings', { webhookEscapeUnicode: false });
    await send({ events: [{ type: 'phone_number_name_update', phoneNumberId: phoneIdOf(sandbox, '+1 555-010-0199'), requestedVerifiedName: 'Bäckerei Acme' }] });
    await eventually(() => receiver.posts.length === 1);
    const [post] = receiver.posts;
    expect(post.rawBody.toString('utf8')).toContain('Bäckerei');
    expect(verifyWebhookSignature(post.rawBody, post.headers['x-hub-signature-256'] as string, 'test-app-secret')).toBe(true);
  });

  it('retries a receiver that answers 500 twice, then 200: exactly three attempts, logged', async () => {
    receiver.answer([500, 500]);
    const result = await send({
      events: [{ type: 'account_update', wabaId: wabaIdOf(sandbox, 'Acme Bakery'), event: 'PARTNER_APP_UNINSTALLED' }],
    });
    const id = result.body.deliveries[0].id;
    await eventually(async () => (await delivery(id)).state !== 'pending');
    await new Promise((resolve) => setTimeout(resolve, 100)); // room for a wrong fourth attempt

    const log = await delivery(id);
    expect(log.state).toBe('delivered');
    expect(log.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(receiver.posts).toHaveLength(3);
    expect(new Set(receiver.posts.map((p) => p.rawBody.toString()))).toEqual(new Set([log.body]));
    const gaps = log.attempts.slice(1).map((a, i) => Date.parse(a.at) - Date.parse(log.attempts[i].at));
    expect(gaps[0]).toBeGreaterThanOrEqual(20); // base delay, then doubled
    expect(gaps[1]).toBeGreaterThanOrEqual(40);
  });

  it('stops after maxAttempts and marks the delivery failed', async () => {
    receiver.answer([503, 503, 503, 503, 503]);
    const result = await send({ events: [{ type: 'account_update', wabaId: wabaIdOf(sandbox, 'Acme Bakery'), event: 'ACCOUNT_DELETED' }] });
    const id = result.body.deliveries[0].id;
    await eventually(async () => (await delivery(id)).state === 'failed');
    expect((await delivery(id)).attempts).toHaveLength(4);
  });

  it('batches events into one POST when asked', async () => {
    await subscribe('Acme Bakery');
    const phoneNumberId = phoneIdOf(sandbox, '+1 555-010-0199');
    const result = await send({
      batch: true,
      events: [
        { type: 'message', phoneNumberId, text: 'one' },
        { type: 'status', phoneNumberId, status: 'read' },
      ],
    });
    expect(result.body.deliveries).toEqual([expect.objectContaining({ events: 2 })]);
    await eventually(() => postsOf('messages').length === 1);
    const payload = JSON.parse(postsOf('messages')[0].rawBody.toString()) as WebhookPayload;
    expect(payload.entry).toHaveLength(1);
    expect(payload.entry[0].changes).toHaveLength(2);
  });

  it('does not deliver messages for a WABA the app has not subscribed to', async () => {
    const result = await send({ events: [{ type: 'message', phoneNumberId: phoneIdOf(sandbox, '+1 555-010-0199') }] });
    expect(result.body.deliveries).toEqual([]);
    expect(result.body.skipped[0].reason).toContain('not subscribed');
  });

  it('routes messages to the WABA override but account updates to the app callback', async () => {
    const override = await startWebhookReceiver('override-token');
    try {
      const token = await businessToken(sandbox);
      const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
      await sandbox.client().subscribeApp(token, wabaId);
      await sandbox.client().subscribeApp(token, wabaId, { callbackUri: override.url, verifyToken: 'override-token' });
      await send({
        events: [
          { type: 'message', phoneNumberId: phoneIdOf(sandbox, '+1 555-010-0199') },
          { type: 'phone_number_quality_update', phoneNumberId: phoneIdOf(sandbox, '+1 555-010-0199'), event: 'DOWNGRADE' },
        ],
      });
      await eventually(() => override.posts.length === 1 && postsOf('phone_number_quality_update').length === 1);
      expect(postsOf('messages')).toHaveLength(0);
    } finally {
      await override.close();
    }
  });

  it('routes messages to the number override before the WABA override, and removes it with ""', async () => {
    const numberReceiver = await startWebhookReceiver('number-token');
    try {
      const token = await businessToken(sandbox);
      const phoneNumberId = phoneIdOf(sandbox, '+1 555-010-0199');
      await sandbox.client().subscribeApp(token, wabaIdOf(sandbox, 'Acme Bakery'));
      await sandbox.control('PATCH', '/settings', { requireAppSecretProof: false });
      const setOverride = (uri: string) =>
        fetch(`${sandbox.baseUrl}/v25.0/${phoneNumberId}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ webhook_configuration: { override_callback_uri: uri, verify_token: 'number-token' } }),
        });
      expect((await setOverride(numberReceiver.url)).status).toBe(200);
      expect(await sandbox.client().getPhoneNumber(token, phoneNumberId, ['webhook_configuration'])).toEqual({
        webhook_configuration: { application: receiver.url, phone_number: numberReceiver.url },
      });
      await send({ events: [{ type: 'message', phoneNumberId }] });
      await eventually(() => numberReceiver.posts.length === 1);

      expect((await setOverride('')).status).toBe(200);
      await send({ events: [{ type: 'message', phoneNumberId }] });
      await eventually(() => postsOf('messages').length === 1);
      expect(numberReceiver.posts).toHaveLength(1);
    } finally {
      await numberReceiver.close();
    }
  });

  it('announces a finished signup with PARTNER_ADDED naming the partner business in entry.id', async () => {
    const consent = await grantConsent(sandbox, { flow: 'sdk', wabas: ['Acme Bakery'] });
    await eventually(() => receiver.posts.length === 1);
    const payload = JSON.parse(receiver.posts[0].rawBody.toString()) as WebhookPayload;
    expect(payload.entry[0].id).toBe(sandbox.world.app.partnerBusinessId);
    expect(payload.entry[0].changes[0]).toEqual({
      field: 'account_update',
      value: {
        event: 'PARTNER_ADDED',
        waba_info: { waba_id: consent.wabaIds[0], owner_business_id: consent.businessId, partner_app_id: '100000000000001' },
      },
    });
  });
});
