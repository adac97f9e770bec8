import { MetaGraphError } from '@waba/meta-graph';
import { eventually, startWebhookReceiver, WebhookReceiver } from '@waba/testing';
import { businessToken, failure, phoneIdOf, Sandbox, startSandbox } from '@waba/testing/sandbox';

async function nextDelivery(receiver: WebhookReceiver) {
  await eventually(() => receiver.posts.length > 0);
  return { body: JSON.parse(receiver.posts[receiver.posts.length - 1].rawBody.toString()) };
}

// A 1x1 PNG.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describe('business profile, photo upload and display-name change (MetaGraphClient against the running sandbox)', () => {
  let sandbox: Sandbox;
  let token: string;
  let phoneId: string;

  beforeEach(async () => {
    sandbox = await startSandbox();
    token = await businessToken(sandbox);
    phoneId = phoneIdOf(sandbox, '+1 555-010-0199');
  });
  afterEach(() => sandbox.close());

  it('stores only the fields sent and answers the profile in a data list', async () => {
    const client = sandbox.client();
    await client.updateBusinessProfile(token, phoneId, { about: 'Fresh bread daily', websites: ['https://acme.example'], vertical: 'RESTAURANT' });
    await client.updateBusinessProfile(token, phoneId, { email: 'hello@acme.example' });
    const { data } = await client.getBusinessProfile(token, phoneId);
    expect(data).toEqual([{ messaging_product: 'whatsapp', about: 'Fresh bread daily', email: 'hello@acme.example', websites: ['https://acme.example'], vertical: 'RESTAURANT' }]);
  });

  it.each([
    [{ about: 'a'.repeat(140) }, 'about must be at most 139'],
    [{ about: '' }, 'about must be at least 1'],
    [{ description: 'a'.repeat(513) }, 'description must be at most 512'],
    [{ email: 'not-an-email' }, 'valid email'],
    [{ websites: ['https://a.example', 'https://b.example', 'https://c.example'] }, 'at most 2 elements'],
    [{ websites: ['acme.example'] }, 'websites[0] must be a valid URL'],
    [{ vertical: 'BAKERY' }, 'vertical must be one of'],
    [{ profile_picture_handle: '4:made-up' }, 'not a valid handle'],
  ])('refuses %j with code 100 and changes nothing', async (update, words) => {
    const error = await failure<MetaGraphError>(sandbox.client().updateBusinessProfile(token, phoneId, update as never));
    expect(error.code).toBe(100);
    expect(error.message).toContain(words);
    expect(sandbox.world.phoneNumbers.get(phoneId)?.businessProfile).toBeUndefined();
  });

  it('uploads a photo in two parts, resuming from the offset, and sets it by handle', async () => {
    const client = sandbox.client();
    const session = await client.startUpload(token, { name: 'logo.png', length: PNG.length, type: 'image/png' });
    expect(session.id).toMatch(/^upload:/);
    const wrongOffset = await failure<MetaGraphError>(client.uploadFile(token, session.id, PNG.subarray(0, 10), 5));
    expect(wrongOffset.message).toContain('does not match');
    await client.uploadFile(token, session.id, PNG.subarray(0, 10), 0);
    const { h } = await client.uploadFile(token, session.id, PNG.subarray(10), 10);
    expect(h).toBeTruthy();
    await client.updateBusinessProfile(token, phoneId, { profile_picture_handle: h });
    const url = (await client.getBusinessProfile(token, phoneId)).data[0].profile_picture_url ?? '';
    const photo = await fetch(url);
    expect(photo.headers.get('content-type')).toContain('image/png');
    expect(Buffer.from(await photo.arrayBuffer())).toEqual(PNG);
  });

  it('refuses an upload of a type Meta does not take', async () => {
    const error = await failure<MetaGraphError>(sandbox.client().startUpload(token, { name: 'a.gif', length: 10, type: 'image/gif' as never }));
    expect(error.message).toContain('file_type must be one of');
  });

  describe('display-name change', () => {
    let receiver: WebhookReceiver;
    beforeEach(async () => {
      receiver = await startWebhookReceiver();
      await sandbox.control('PATCH', '/settings', { webhookUrl: receiver.url });
    });
    afterEach(() => receiver.close());

    it('puts the name in review, sends the decision by webhook, and applies it at the next /register', async () => {
      const client = sandbox.client();
      await client.requestDisplayNameChange(token, phoneId, 'Acme Bread');
      expect(await client.getPhoneNumber(token, phoneId, ['new_display_name', 'new_name_status', 'verified_name'])).toMatchObject({
        new_display_name: 'Acme Bread',
        new_name_status: 'PENDING_REVIEW',
        verified_name: 'Acme Bakery',
      });
      await expect(client.requestDisplayNameChange(token, phoneId, 'Other')).rejects.toMatchObject({ code: 100 });

      expect((await sandbox.control('POST', `/phone-numbers/${phoneId}/name-review`, { decision: 'APPROVED' })).status).toBe(200);
      const delivery = await nextDelivery(receiver);
      expect(delivery.body.entry[0].changes[0]).toMatchObject({ field: 'phone_number_name_update', value: { decision: 'APPROVED', requested_verified_name: 'Acme Bread' } });
      expect((await client.getPhoneNumber(token, phoneId, ['new_name_status'])).new_name_status).toBe('APPROVED');

      const pin = sandbox.world.phoneNumbers.get(phoneId)?.twoStepPin ?? '123456';
      await client.registerPhone(token, phoneId, pin);
      expect(await client.getPhoneNumber(token, phoneId, ['verified_name', 'new_name_status'])).toEqual({ verified_name: 'Acme Bread', new_name_status: 'NONE' });
    });

    it('lists a change in review on the console, for a person to decide', async () => {
      await sandbox.client().requestDisplayNameChange(token, phoneId, 'Acme Bread');
      const page = await (await fetch(`${sandbox.baseUrl}/_sandbox`)).text();
      expect(page).toContain('Review a display-name change');
      expect(page).toContain(`<option value="${phoneId}">+1 555-010-0199: &quot;Acme Bakery&quot; → &quot;Acme Bread&quot;</option>`);
    });

    it('sends a rejection with its reason', async () => {
      await sandbox.client().requestDisplayNameChange(token, phoneId, 'Best Bread In The World');
      await sandbox.control('POST', `/phone-numbers/${phoneId}/name-review`, { decision: 'REJECTED', rejectionReason: 'NAME_NOT_ACCURATE' });
      const delivery = await nextDelivery(receiver);
      expect(delivery.body.entry[0].changes[0].value).toMatchObject({ decision: 'REJECTED', rejection_reason: 'NAME_NOT_ACCURATE' });
      expect((await sandbox.client().getPhoneNumber(token, phoneId, ['new_name_status'])).new_name_status).toBe('DECLINED');
    });
  });
});
