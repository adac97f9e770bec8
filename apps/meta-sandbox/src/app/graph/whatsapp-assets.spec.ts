import { MetaGraphError } from '@waba/meta-graph';
import { startWebhookReceiver, WebhookReceiver } from '@waba/testing';
import { businessToken, failure, phoneIdOf, Sandbox, startSandbox, wabaIdOf } from '@waba/testing/sandbox';

describe('subscriptions, registration and PINs (MetaGraphClient against the running sandbox)', () => {
  let sandbox: Sandbox;
  let token: string;

  beforeEach(async () => {
    sandbox = await startSandbox();
    token = await businessToken(sandbox);
  });
  afterEach(() => sandbox.close());

  describe('register / deregister limit', () => {
    const HOUR = 3600_000;

    it('allows 10 requests per number in 72 hours, then answers 133016 for 72 hours without client retries', async () => {
      const client = sandbox.client();
      const phoneId = phoneIdOf(sandbox, '+1 555-010-0142');
      for (let i = 0; i < 5; i++) {
        await client.registerPhone(token, phoneId, '123456');
        await client.deregisterPhone(token, phoneId);
      }
      const error = await failure<MetaGraphError>(client.registerPhone(token, phoneId, '123456'));
      expect(error).toMatchObject({ kind: 'blocked', code: 133016, retryable: false });
      expect(error.message).not.toContain('123456');
      expect(sandbox.sleeps).toEqual([]);
      expect(sandbox.world.phoneNumbers.get(phoneId)?.registrationRequestsMs).toHaveLength(10);

      sandbox.clock.advance(71 * HOUR);
      await expect(client.registerPhone(token, phoneId, '123456')).rejects.toMatchObject({ code: 133016 });
      sandbox.clock.advance(2 * HOUR);
      await expect(client.registerPhone(token, phoneId, '123456')).resolves.toEqual({ success: true });
    });

    it('never retries a register that failed temporarily, since every attempt counts', async () => {
      const phoneId = phoneIdOf(sandbox, '+1 555-010-0142');
      await sandbox.control('POST', '/faults', { endpoint: 'POST /{phone-number-id}/register', count: 3, error: { code: 2 } });
      await expect(sandbox.client().registerPhone(token, phoneId, '123456')).rejects.toMatchObject({ kind: 'temporary' });
      expect((await sandbox.control<{ remaining: number }[]>('GET', '/faults')).body).toMatchObject([{ remaining: 2 }]);
    });
  });

  describe('register', () => {
    it('puts the number on Cloud API and makes the PIN its two-step PIN', async () => {
      const client = sandbox.client();
      const phoneId = phoneIdOf(sandbox, '+1 555-010-0142');
      expect(await client.getPhoneNumber(token, phoneId)).toMatchObject({ platform_type: 'NOT_APPLICABLE' });
      await client.registerPhone(token, phoneId, '482913');
      expect(await client.getPhoneNumber(token, phoneId)).toMatchObject({
        platform_type: 'CLOUD_API',
        throughput: { level: 'STANDARD' },
        status: 'CONNECTED',
      });
      await client.deregisterPhone(token, phoneId);
      await expect(client.registerPhone(token, phoneId, '111111')).rejects.toMatchObject({ code: 133005 });
    });

    it('accepts a new PIN set by two-step verification', async () => {
      const client = sandbox.client();
      const phoneId = phoneIdOf(sandbox, '+1 555-010-0199');
      await expect(client.registerPhone(token, phoneId, '000000')).rejects.toMatchObject({ code: 133005 });
      await client.setTwoStepPin(token, phoneId, '000000');
      await expect(client.registerPhone(token, phoneId, '000000')).resolves.toEqual({ success: true });
    });

    it('refuses to deregister a coexistence number', async () => {
      const northwind = await businessToken(sandbox, 'Northwind Clinics');
      await expect(sandbox.client().deregisterPhone(northwind, phoneIdOf(sandbox, '+44 7700 900461'))).rejects.toMatchObject({ kind: 'invalid', code: 100 });
    });
  });

  describe('subscribed_apps', () => {
    let receiver: WebhookReceiver;
    beforeEach(async () => {
      receiver = await startWebhookReceiver('override-token');
    });
    afterEach(() => receiver.close());

    it('refuses an override before the app is subscribed', async () => {
      const error = await failure<MetaGraphError>(sandbox.client().subscribeApp(token, wabaIdOf(sandbox, 'Acme Bakery'), { callbackUri: receiver.url, verifyToken: 'override-token' }));
      expect(error).toMatchObject({ kind: 'invalid', code: 100 });
      expect(error.message).toContain('Before override the current callback uri');
      expect(receiver.handshakes).toBe(0);
    });

    it('subscribes, then overrides after a successful handshake, next to other apps', async () => {
      const client = sandbox.client();
      const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
      await client.subscribeApp(token, wabaId);
      await client.subscribeApp(token, wabaId, { callbackUri: receiver.url, verifyToken: 'override-token' });
      expect(receiver.handshakes).toBe(1);
      const apps = await client.listSubscribedApps(token, wabaId);
      expect(apps.data).toEqual([
        { whatsapp_business_api_data: expect.objectContaining({ id: '100000000000777' }) },
        {
          whatsapp_business_api_data: expect.objectContaining({ id: '100000000000001', name: expect.any(String) }),
          override_callback_uri: receiver.url,
        },
      ]);
      await client.unsubscribeApp(token, wabaId);
      expect((await client.listSubscribedApps(token, wabaId)).data.map((a) => a.whatsapp_business_api_data.id)).toEqual(['100000000000777']);
    });

    it('fails with 2200 when the override callback does not verify', async () => {
      const client = sandbox.client();
      const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
      await client.subscribeApp(token, wabaId);
      await expect(client.subscribeApp(token, wabaId, { callbackUri: receiver.url, verifyToken: 'wrong-token' })).rejects.toMatchObject({ code: 2200 });
    });
  });
});
