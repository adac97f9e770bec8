import { businessToken, phoneIdOf, Sandbox, startSandbox, wabaIdOf } from '@waba/testing/sandbox';

describe('health_status on numbers and WABAs (MetaGraphClient against the running sandbox)', () => {
  let sandbox: Sandbox;
  let token: string;

  beforeEach(async () => {
    sandbox = await startSandbox();
    token = await businessToken(sandbox);
  });
  afterEach(() => sandbox.close());

  const main = () => phoneIdOf(sandbox, '+1 555-010-0199');
  const acme = () => wabaIdOf(sandbox, 'Acme Bakery');

  it('lists the number, its WABA, business and our app, all AVAILABLE, for a healthy number', async () => {
    const phone = await sandbox.client().getPhoneNumberHealth(token, main());
    expect(phone.health_status).toEqual({
      can_send_message: 'AVAILABLE',
      entities: [
        { entity_type: 'PHONE_NUMBER', id: main(), can_send_message: 'AVAILABLE' },
        { entity_type: 'WABA', id: acme(), can_send_message: 'AVAILABLE' },
        { entity_type: 'BUSINESS', id: expect.any(String), can_send_message: 'AVAILABLE' },
        { entity_type: 'APP', id: sandbox.world.app.id, can_send_message: 'AVAILABLE' },
      ],
    });
  });

  it('answers a WABA, its subscribed apps and every number with its health in one call', async () => {
    await sandbox.client().subscribeApp(token, acme());
    const waba = await sandbox.client().getWabaHealth(token, acme());
    expect(waba.health_status?.entities.map((e) => e.entity_type)).toEqual(['WABA', 'BUSINESS', 'APP']);
    // Another app shares the demo WABA: ours is one of the subscribers.
    expect(waba.subscribed_apps?.data.map((s) => s.whatsapp_business_api_data.id)).toEqual(expect.arrayContaining([sandbox.world.app.id, '100000000000777']));
    expect(waba.phone_numbers?.data).toHaveLength(2);
    expect(waba.phone_numbers?.data.every((n) => n.health_status?.entities[0].entity_type === 'PHONE_NUMBER')).toBe(true);
  });

  it('blocks a number the control API blocked, with the error, and the overall value follows the worst entity', async () => {
    const set = await sandbox.control('POST', `/health/${main()}`, { canSendMessage: 'BLOCKED', errorCode: 141010, errorDescription: 'The number is locked.', possibleSolution: 'Contact support.' });
    expect(set.status).toBe(200);
    const phone = await sandbox.client().getPhoneNumberHealth(token, main());
    expect(phone.health_status?.can_send_message).toBe('BLOCKED');
    expect(phone.health_status?.entities[0]).toEqual({
      entity_type: 'PHONE_NUMBER',
      id: main(),
      can_send_message: 'BLOCKED',
      errors: [{ error_code: 141010, error_description: 'The number is locked.', possible_solution: 'Contact support.' }],
    });
    // The other number of the WABA is untouched.
    const other = await sandbox.client().getPhoneNumberHealth(token, phoneIdOf(sandbox, '+1 555-010-0177'));
    expect(other.health_status?.can_send_message).not.toBe('BLOCKED');
  });

  it("limits every number of a WABA the control API limited, with Meta's additional_info, and clears it again", async () => {
    await sandbox.control('POST', `/health/${acme()}`, { canSendMessage: 'LIMITED', additionalInfo: ['The account has a messaging limit of 250.'] });
    const phone = await sandbox.client().getPhoneNumberHealth(token, main());
    expect(phone.health_status?.can_send_message).toBe('LIMITED');
    expect(phone.health_status?.entities[1]).toEqual({ entity_type: 'WABA', id: acme(), can_send_message: 'LIMITED', additional_info: ['The account has a messaging limit of 250.'] });
    await sandbox.control('POST', `/health/${acme()}`, { canSendMessage: 'AVAILABLE' });
    expect((await sandbox.client().getPhoneNumberHealth(token, main())).health_status?.can_send_message).toBe('AVAILABLE');
  });

  it("blocks by default with the payment-method error of Meta's example", async () => {
    await sandbox.control('POST', `/health/${acme()}`, { canSendMessage: 'BLOCKED' });
    const waba = await sandbox.client().getWabaHealth(token, acme());
    expect(waba.health_status?.entities[0].errors?.[0].error_code).toBe(141006);
  });

  it('derives BLOCKED from the world: an unregistered or banned number', async () => {
    await sandbox.control('PATCH', `/phone-numbers/${main()}`, { registered: false });
    const unregistered = await sandbox.client().getPhoneNumberHealth(token, main());
    expect(unregistered.health_status?.entities[0].errors?.map((e) => e.error_code)).toEqual([133010]);
    await sandbox.control('PATCH', `/phone-numbers/${main()}`, { registered: true, status: 'BANNED' });
    const banned = await sandbox.client().getPhoneNumberHealth(token, main());
    expect(banned.health_status?.entities[0].errors?.map((e) => e.error_code)).toEqual([131031]);
  });

  it('refuses an unknown node and a bad status in words', async () => {
    expect((await sandbox.control('POST', '/health/999', { canSendMessage: 'BLOCKED' })).status).toBe(404);
    const bad = await sandbox.control<{ message: string[] }>('POST', `/health/${main()}`, { canSendMessage: 'BROKEN' });
    expect(bad.status).toBe(400);
    expect(bad.body.message.join(' ')).toContain('canSendMessage');
  });

  it('offers the form on the console page', async () => {
    const page = await (await fetch(`${sandbox.baseUrl}/_sandbox`)).text();
    expect(page).toContain('Block or limit messaging');
    expect(page).toContain(`value="${main()}"`);
  });

  it("answers the app's own webhook subscription to the app token, with the fields the control API set", async () => {
    const client = sandbox.client();
    expect((await client.listAppSubscriptions()).data).toEqual([]); // no callback configured in this sandbox
    await sandbox.control('PATCH', '/settings', { webhookUrl: 'http://localhost:3999/api/webhooks/whatsapp' });
    const [subscription] = (await client.listAppSubscriptions()).data;
    expect(subscription).toMatchObject({ object: 'whatsapp_business_account', callback_url: 'http://localhost:3999/api/webhooks/whatsapp', active: true });
    expect(subscription.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['messages', 'account_update']));
    await sandbox.control('POST', '/app-subscription', { fields: ['messages'] });
    expect((await client.listAppSubscriptions()).data[0].fields).toEqual([{ name: 'messages', version: 'v25.0' }]);
  });
});
