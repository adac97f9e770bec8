import type { AuditEntryView, DisplayNameView, EventsPageView, NumberSettingsView, PinChangedView, RegistrationBudgetView } from '@waba/contracts';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection, mongo } from 'mongoose';
import request from 'supertest';
import { StoredDeliveriesService } from '@waba/api/webhooks/stored-deliveries.service';
import { unpackBody } from '@waba/api/webhooks/stored-body';
import { addInvitedUser } from '../support/people';
import { connectNumbers, phoneIdOf, type Sandbox } from '../support/meta-sandbox';
import { urlOf } from '../support/sockets';
import { useApiWithSandbox } from '../support/suite';
import { createTenant, type SignedInTenant } from '../support/tenants';
import type { TestApp } from '../support/test-app';
import { waitUntil } from '../support/webhook-delivery';
import { webhooksSettled } from '../support/jobs';

const MAIN = '+1 555-010-0199';
/** Not on the Cloud API in the demo world: connecting registers it with a PIN we store. */
const UNREGISTERED = '+1 555-010-0142';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describe('number settings: business profile, photo, display name, two-step PIN, registration budget', () => {
  let api: TestApp;
  let sandbox: Sandbox;

  useApiWithSandbox((running) => ({ api, sandbox } = running));

  const settings = async (tenant: SignedInTenant, id: string) => {
    const response = await tenant.browser.get(`/api/phone-numbers/${id}/settings`);
    expect(response.status).toBe(200);
    return response.body as NumberSettingsView;
  };
  const audit = async (tenant: SignedInTenant) => (await tenant.browser.get('/api/audit-log')).body as AuditEntryView[];
  const events = async (tenant: SignedInTenant, types: string) => ((await tenant.browser.get(`/api/events?types=${types}`)).body as EventsPageView).items;

  async function connected(displayPhones = [MAIN]): Promise<{ tenant: SignedInTenant; id: string }> {
    const tenant = await createTenant(api.server);
    await connectNumbers(sandbox, tenant, displayPhones);
    return { tenant, id: phoneIdOf(sandbox, displayPhones[0]) };
  }

  describe('business profile', () => {
    it('saves only the fields sent, reads them back from Meta with the limits and categories, audits and records an event', async () => {
      const { tenant, id } = await connected();
      const saved = await tenant.browser.send('put', `/api/phone-numbers/${id}/profile`, { about: '  Fresh bread daily  ', websites: ['https://acme.example'], vertical: 'RESTAURANT' });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ about: 'Fresh bread daily', websites: ['https://acme.example'], vertical: 'RESTAURANT', verticalLabel: 'Restaurant', email: null });
      expect(sandbox.world.phoneNumbers.get(id)?.businessProfile).toEqual({ about: 'Fresh bread daily', websites: ['https://acme.example'], vertical: 'RESTAURANT' });

      const view = await settings(tenant, id);
      expect(view.profile.about).toBe('Fresh bread daily');
      expect(view.limits).toMatchObject({ about: 139, address: 256, description: 512, email: 128, websites: 2 });
      expect(view.categories).toContainEqual({ value: 'PROF_SERVICES', label: 'Professional services' });
      expect((await audit(tenant)).find((a) => a.action === 'phone_number.profile_updated')?.details).toBe('Changed: about, websites, category');
      expect((await events(tenant, 'phone_number.settings'))[0]).toMatchObject({ title: `${MAIN}: business profile updated`, phoneNumberId: id });
    });

    it.each([
      [{ about: 'a'.repeat(140) }, 'about can be at most 139 characters'],
      [{ about: '   ' }, 'about cannot be empty'],
      [{ address: 'a'.repeat(257) }, 'address can be at most 256 characters'],
      [{ description: 'a'.repeat(513) }, 'description can be at most 512 characters'],
      [{ email: 'not-an-email' }, 'email must be a valid email address'],
      [{ websites: ['https://a.example', 'https://b.example', 'https://c.example'] }, 'at most 2 websites'],
      [{ websites: ['acme.example'] }, 'must be a full address starting with http:// or https://'],
      [{ vertical: 'BAKERY' }, "category must be one of Meta's categories"],
      [{ colour: 'blue' }, 'colour is not an allowed field'],
      [{}, 'Nothing to change'],
    ])('refuses %j with a 400 in words before calling Meta', async (body, words) => {
      const { tenant, id } = await connected();
      const response = await tenant.browser.send('put', `/api/phone-numbers/${id}/profile`, body);
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(words);
      expect(sandbox.world.phoneNumbers.get(id)?.businessProfile).toBeUndefined();
    });

    it("turns Meta's own refusal into a 400 in words, with Meta's code for support only", async () => {
      const { tenant, id } = await connected();
      await sandbox.control('POST', '/faults', {
        endpoint: 'POST /{phone-number-id}/whatsapp_business_profile',
        count: 1,
        error: { code: 100, message: '(#100) Param about must be at most 139 chars long' },
      });
      const response = await tenant.browser.send('put', `/api/phone-numbers/${id}/profile`, { about: 'Fine by us' });
      expect(response.status).toBe(400);
      expect(response.body.message).toBe("Meta refused the about text when we tried to update the business profile: it does not meet Meta's rules for this field. Change it and try again.");
      expect(response.body.message).not.toContain('(#100)');
      expect(response.body.support).toMatchObject({ metaCode: 100 });
    });

    it('answers 502 in words when Meta is down', async () => {
      const { tenant, id } = await connected();
      await sandbox.control('POST', '/faults', { endpoint: 'POST /{phone-number-id}/whatsapp_business_profile', count: 5, error: { code: 2, httpStatus: 500 } });
      const response = await tenant.browser.send('put', `/api/phone-numbers/${id}/profile`, { about: 'Fine by us' });
      expect(response.status).toBe(502);
      expect(response.body.message).toMatch(/^We could not update the business profile: /);
    });

    it('uploads a photo through the Resumable Upload API and sets it by handle', async () => {
      const { tenant, id } = await connected();
      const csrf = tenant.browser.cookies.get('XSRF-TOKEN') ?? '';
      const cookie = [...tenant.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const upload = (bytes: Buffer, type: string) =>
        request(api.server).post(`/api/phone-numbers/${id}/profile/photo`).set('Cookie', cookie).set('X-XSRF-TOKEN', csrf).set('Content-Type', type).send(bytes);

      const response = await upload(PNG, 'image/png');
      expect(response.status).toBe(200);
      expect(response.body.photoUrl).toMatch(/\/_sandbox\/profile-photos\//);
      expect(Buffer.from(await (await fetch(response.body.photoUrl)).arrayBuffer())).toEqual(PNG);
      expect(sandbox.world.phoneNumbers.get(id)?.businessProfile?.pictureHandle).toBeTruthy();

      const notAnImage = await upload(Buffer.from('GIF89a not really'), 'image/png');
      expect(notAnImage.status).toBe(400);
      expect(notAnImage.body.message).toContain('must be a JPEG or PNG image');
      const tooLarge = await upload(Buffer.alloc(5 * 1024 * 1024 + 10, 1), 'image/jpeg');
      expect(tooLarge.status).toBe(413);
    });
  });

  describe('display name', () => {
    beforeEach(async () => {
      await sandbox.control('PATCH', '/settings', { webhookUrl: `${urlOf(api.server)}/api/webhooks/whatsapp` });
    });

    async function decide(id: string, decision: 'APPROVED' | 'REJECTED', rejectionReason?: string): Promise<void> {
      expect((await sandbox.control('POST', `/phone-numbers/${id}/name-review`, { decision, rejectionReason })).status).toBe(200);
    }

    const nameOf = async (tenant: SignedInTenant, id: string) => (await settings(tenant, id)).displayName;
    /** Waits for the decision's audit entry, written last (the settings read calls Meta and is rate limited). */
    const nameEventSaying = (tenant: SignedInTenant, decision: 'approved' | 'rejected') =>
      waitUntil(async () => (await audit(tenant)).some((a) => a.action === `phone_number.display_name_${decision}`), 10_000, `the ${decision} decision`);

    it('asks Meta for a new name, tracks the approval from the webhook, and applies it by registering again with the stored PIN', async () => {
      const { tenant, id } = await connected([UNREGISTERED]);
      const asked = await tenant.browser.post(`/api/phone-numbers/${id}/display-name`, { name: 'Acme Bread Help' });
      expect(asked.status).toBe(200);
      const view = asked.body as DisplayNameView;
      expect(view.latest).toMatchObject({ requestedName: 'Acme Bread Help', status: 'in_review', previousName: 'Acme Bakery Deliveries' });
      expect(view.canRequest).toBe(false);
      expect(view.rules.join(' ')).toContain('about 10 changes per number in 30 days (1 asked');
      expect(sandbox.world.phoneNumbers.get(id)?.nameChange).toMatchObject({ name: 'Acme Bread Help', status: 'PENDING_REVIEW' });

      const again = await tenant.browser.post(`/api/phone-numbers/${id}/display-name`, { name: 'Something Else' });
      expect(again.status).toBe(409);
      expect(again.body.message).toContain('already in review');

      await decide(id, 'APPROVED');
      await nameEventSaying(tenant, 'approved');
      const approved = await nameOf(tenant, id);
      expect(approved.currentName).toBe('Acme Bakery Deliveries'); // shows only after registering again
      expect(approved.reregister).toMatchObject({ needed: true, pinStored: true });
      expect(approved.reregister.budget).toMatchObject({ limit: 10, usedByUs: 1, remaining: 9 }); // the registration at connect
      expect(approved.latest?.statusWords).toContain('registered again');

      // The same webhook applied again (a retried batch, an operator's replay) leaves the name as it is.
      const database = api.app.get<Connection>(getConnectionToken());
      const storedName = async () => (await database.collection('phone_numbers').findOne({ phoneNumberId: id }))?.['verifiedName'];
      const deliveries = await database.collection<{ body: mongo.Binary }>('webhook_deliveries').find({}).toArray();
      const decision = deliveries.find((delivery) => ['phone_number_name_update', 'Acme Bread Help'].every((text) => unpackBody(delivery).includes(text)));
      expect(decision).toBeDefined();
      await api.app.get(StoredDeliveriesService).replay(String(decision?._id));
      await waitUntil(async () => (await storedName()) === 'Acme Bakery Deliveries', 5_000, 'the name put back after the replay');
      expect((await nameOf(tenant, id)).latest).toMatchObject({ requestedName: 'Acme Bread Help', status: 'approved' });

      const applied = await tenant.browser.post(`/api/phone-numbers/${id}/display-name/reregister`);
      expect(applied.status).toBe(200);
      expect((applied.body as DisplayNameView).latest).toMatchObject({ status: 'applied' });
      expect((applied.body as DisplayNameView).currentName).toBe('Acme Bread Help');
      expect(sandbox.world.phoneNumbers.get(id)?.verifiedName).toBe('Acme Bread Help');
      expect(((await tenant.browser.get(`/api/phone-numbers/${id}/registration-budget`)).body as RegistrationBudgetView).usedByUs).toBe(2);

      const actions = (await audit(tenant)).map((a) => a.action);
      expect(actions).toEqual(expect.arrayContaining(['phone_number.display_name_requested', 'phone_number.display_name_approved', 'phone_number.reregistered']));
      const nameEvents = await events(tenant, 'phone_number.name');
      expect(nameEvents.map((e) => e.title)).toEqual(expect.arrayContaining([`${UNREGISTERED}: display name "Acme Bread Help" sent to Meta for review`, 'Display name Acme Bread Help approved']));

      const nothingWaiting = await tenant.browser.post(`/api/phone-numbers/${id}/display-name/reregister`);
      expect(nothingWaiting.status).toBe(409);
    });

    it('records a rejection with its reason in words and lets the tenant ask again', async () => {
      const { tenant, id } = await connected();
      await tenant.browser.post(`/api/phone-numbers/${id}/display-name`, { name: 'Best Bread Ever!!' });
      await decide(id, 'REJECTED', 'NAME_FORMAT_UNACCEPTABLE');
      await nameEventSaying(tenant, 'rejected');
      const rejected = await nameOf(tenant, id);
      expect(rejected.latest).toMatchObject({ rejectionReason: 'NAME_FORMAT_UNACCEPTABLE' });
      expect(rejected.latest?.rejectionWords).toContain("breaks Meta's display name guidelines");
      expect(rejected.canRequest).toBe(true);
      expect(rejected.currentName).toBe('Acme Bakery');
      expect(rejected.nameStatusWords).toBe('Approved by Meta: WhatsApp shows this name.'); // only the change was rejected
      const [event] = await events(tenant, 'phone_number.name').then((items) => items.filter((e) => e.title.includes('rejected')));
      expect(event.detail).toContain("breaks Meta's display name guidelines");
      expect((await tenant.browser.post(`/api/phone-numbers/${id}/display-name`, { name: 'Acme Bread' })).status).toBe(200);
    });

    it('refuses a name outside the rules before calling Meta, and follows new_name_status when the webhook is lost', async () => {
      const { tenant, id } = await connected();
      const short = await tenant.browser.post(`/api/phone-numbers/${id}/display-name`, { name: 'ab' });
      expect(short.status).toBe(400);
      expect(short.body.message).toContain('at least 3 characters');
      expect(sandbox.world.phoneNumbers.get(id)?.nameChange).toBeUndefined();

      await sandbox.control('PATCH', '/settings', { webhookUrl: null });
      await tenant.browser.post(`/api/phone-numbers/${id}/display-name`, { name: 'Acme Bread' });
      await sandbox.control('POST', `/phone-numbers/${id}/name-review`, { decision: 'REJECTED' });
      expect((await nameOf(tenant, id)).latest?.status).toBe('rejected');
    });

    it('does not spend a registration attempt when the budget is used up', async () => {
      const { tenant, id } = await connected([UNREGISTERED]);
      await tenant.browser.post(`/api/phone-numbers/${id}/display-name`, { name: 'Acme Bread' });
      await decide(id, 'APPROVED');
      await nameEventSaying(tenant, 'approved');
      const connection = api.app.get<Connection>(getConnectionToken());
      const account = (await connection.collection('phone_numbers').findOne({ phoneNumberId: id }))?.accountId;
      await connection
        .collection('registration_attempts')
        .insertMany(Array.from({ length: 10 }, () => ({ accountId: account, phoneNumberId: id, kind: 'register', outcome: 'failed', at: new Date() })));
      const refused = await tenant.browser.post(`/api/phone-numbers/${id}/display-name/reregister`);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain('0 left');
      expect(sandbox.world.phoneNumbers.get(id)?.registrationRequestsMs).toHaveLength(1); // the one at connect
    });
  });

  describe('two-step PIN', () => {
    it('changes the PIN at Meta for an owner who typed the password, stores it encrypted, and reveals the new one', async () => {
      const { tenant, id } = await connected([UNREGISTERED]);
      const changed = await tenant.browser.post(`/api/phone-numbers/${id}/pin`, { pin: '246810', password: tenant.password });
      expect(changed.status).toBe(200);
      expect(changed.body as PinChangedView).toEqual({ phoneNumberId: id, changedAt: expect.any(String) });
      expect(JSON.stringify(changed.body)).not.toContain('246810');
      expect(sandbox.world.phoneNumbers.get(id)?.twoStepPin).toBe('246810');
      const stored = await api.app.get<Connection>(getConnectionToken()).collection('phone_numbers').findOne({ phoneNumberId: id });
      expect(String(stored?.encryptedPin)).not.toContain('246810');

      const revealed = await tenant.browser.post(`/api/phone-numbers/${id}/pin/reveal`, { password: tenant.password });
      expect(revealed.body.pin).toBe('246810');
      expect((await settings(tenant, id)).pin).toMatchObject({ storedByUs: true, changedAt: changed.body.changedAt });
      const entry = (await audit(tenant)).find((a) => a.action === 'phone_number.pin_changed');
      expect(entry?.details).not.toContain('246810');
      expect((await events(tenant, 'phone_number.settings'))[0].title).toBe(`${UNREGISTERED}: two-step PIN changed`);
      await webhooksSettled(api.app);
    });

    it('refuses a wrong password, an admin, and a PIN that is not 6 digits, changing nothing at Meta', async () => {
      const { tenant, id } = await connected();
      const before = sandbox.world.phoneNumbers.get(id)?.twoStepPin;
      const wrong = await tenant.browser.post(`/api/phone-numbers/${id}/pin`, { pin: '246810', password: 'not my password' });
      expect(wrong.status).toBe(403);
      expect(wrong.body.message).toContain('password is not correct');
      const short = await tenant.browser.post(`/api/phone-numbers/${id}/pin`, { pin: '12345', password: tenant.password });
      expect(short.status).toBe(400);
      expect(short.body.message).toContain('exactly 6 digits');
      const admin = await addInvitedUser(api.server, tenant, 'admin');
      const byAdmin = await admin.browser.post(`/api/phone-numbers/${id}/pin`, { pin: '246810', password: admin.password });
      expect(byAdmin.status).toBe(403);
      expect(sandbox.world.phoneNumbers.get(id)?.twoStepPin).toBe(before);
      expect((await audit(tenant)).some((a) => a.action === 'phone_number.pin_change_refused')).toBe(true);
    });
  });

  it("keeps another tenant out of a number's settings", async () => {
    const { id } = await connected();
    const other = await createTenant(api.server, 'Other');
    expect((await other.browser.get(`/api/phone-numbers/${id}/settings`)).status).toBe(404);
    expect((await other.browser.send('put', `/api/phone-numbers/${id}/profile`, { about: 'Mine now' })).status).toBe(404);
    expect((await other.browser.post(`/api/phone-numbers/${id}/display-name`, { name: 'Mine now' })).status).toBe(404);
    expect(sandbox.world.phoneNumbers.get(id)?.businessProfile).toBeUndefined();
  });
});
