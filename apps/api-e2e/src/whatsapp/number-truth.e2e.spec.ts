import type { AuditEntryView, EventsPageView, PhoneNumberView, WhatsAppStatusView } from '@waba/contracts';
import request from 'supertest';
import { TokenSweepService } from '@waba/api/token-refresh/token-sweep.service';
import { webhooksSettled } from '../support/jobs';
import { connectNumbers, phoneIdOf, wabaIdOf, type Sandbox } from '../support/meta-sandbox';
import { addInvitedUser } from '../support/people';
import { useApiWithSandbox } from '../support/suite';
import type { TestApp } from '../support/test-app';
import { createTenant, type SignedInTenant } from '../support/tenants';
import { waitUntil } from '../support/webhook-delivery';
import { qualityUpdate, signed } from '@waba/testing';

const MAIN = '+1 555-010-0199';
/** Not on the Cloud API yet in the sandbox: connecting registers it, with a PIN we choose. */
const SECOND = '+1 555-010-0142';
const NORTHWIND = '+44 7700 900461';

describe('what a tenant sees of its numbers is true: the active number, manual credentials, the PIN we set', () => {
  let api: TestApp;
  let sandbox: Sandbox;

  useApiWithSandbox((running) => ({ api, sandbox } = running));

  const connect = (tenant: SignedInTenant, displayPhones: string[], business?: string) => connectNumbers(sandbox, tenant, displayPhones, business);

  async function mintToken(business: string): Promise<string> {
    const owner = [...sandbox.world.businesses.values()].find((b) => b.name === business);
    const { body } = await sandbox.control<{ access_token: string }>('POST', '/tokens', { businessId: owner?.id, wabaIds: [wabaIdOf(sandbox, business)] });
    return body.access_token;
  }

  const status = async (tenant: SignedInTenant) => (await tenant.browser.get('/api/phone-numbers')).body as WhatsAppStatusView;
  const activeDisplay = async (tenant: SignedInTenant) => {
    const now = await status(tenant);
    return now.wabas.flatMap((w) => w.numbers).find((n) => n.phoneNumberId === now.activePhoneNumberId)?.displayPhone ?? null;
  };
  const audit = async (tenant: SignedInTenant) => (await tenant.browser.get('/api/audit-log')).body as AuditEntryView[];
  const activeEvents = async (tenant: SignedInTenant) => ((await tenant.browser.get('/api/events?types=phone_number.active')).body as EventsPageView).items;
  const numberOf = async (tenant: SignedInTenant, display: string) => (await status(tenant)).wabas.flatMap((w) => w.numbers).find((n) => n.displayPhone === display) as PhoneNumberView;

  async function deliver(payload: object): Promise<void> {
    const message = signed(JSON.stringify(payload));
    const response = await request(api.server).post('/api/webhooks/whatsapp').set('Content-Type', 'application/json').set('X-Hub-Signature-256', message.signature).send(message.body.toString('utf8'));
    expect(response.status).toBe(200);
    await webhooksSettled(api.app);
  }

  describe('the active number', () => {
    it('never makes a flagged number active on connect, and says so in words when the active one is disconnected and none is left', async () => {
      const tenant = await createTenant(api.server);
      await sandbox.control('PATCH', `/phone-numbers/${phoneIdOf(sandbox, MAIN)}`, { qualityRating: 'RED' });
      await connect(tenant, [MAIN, SECOND]);
      expect(await activeDisplay(tenant)).toBe(SECOND);

      await tenant.browser.post(`/api/phone-numbers/${phoneIdOf(sandbox, SECOND)}/disconnect`);
      expect(await activeDisplay(tenant)).toBeNull();
      await waitUntil(async () => (await activeEvents(tenant)).length === 1, 5000, 'the active-number event');
      const [event] = await activeEvents(tenant);
      expect(event).toMatchObject({ type: 'phone_number.active', title: 'No active number', phoneNumberId: phoneIdOf(sandbox, SECOND) });
      expect(event.detail).toContain(`${SECOND} was disconnected`);
      const entry = (await audit(tenant)).find((a) => a.action === 'phone_number.active_changed');
      expect(entry).toMatchObject({ actorName: tenant.session.user.name, target: `Number ${SECOND}` });
      expect(entry?.details).toMatch(/none is active now/);
    });

    it('moves the active number when a Meta webhook flags it, naming the new one and "Meta webhook" as the actor', async () => {
      const tenant = await createTenant(api.server);
      await connect(tenant, [MAIN, SECOND]);
      expect(await activeDisplay(tenant)).toBe(MAIN);

      await deliver(qualityUpdate(wabaIdOf(sandbox, 'Acme Bakery'), '15550100199', 'FLAGGED', 'TIER_1K'));
      expect(await activeDisplay(tenant)).toBe(SECOND);
      await waitUntil(async () => (await activeEvents(tenant)).length === 1, 5000, 'the active-number event');
      expect((await activeEvents(tenant))[0]).toMatchObject({ title: `Active number is now ${SECOND}`, phoneNumberId: phoneIdOf(sandbox, SECOND) });
      expect((await activeEvents(tenant))[0].detail).toContain(`${MAIN} was flagged by Meta for low quality`);
      const entry = (await audit(tenant)).find((a) => a.action === 'phone_number.active_changed');
      expect(entry).toMatchObject({ actorName: 'Meta webhook', target: `Number ${MAIN}` });
    });

    it('lets a person choose a flagged number only as an explicit choice after a warning in words', async () => {
      const tenant = await createTenant(api.server);
      await sandbox.control('PATCH', `/phone-numbers/${phoneIdOf(sandbox, MAIN)}`, { qualityRating: 'RED' });
      await connect(tenant, [MAIN, SECOND]);
      const flagged = phoneIdOf(sandbox, MAIN);

      const warned = await tenant.browser.post(`/api/phone-numbers/${flagged}/active`, {});
      expect(warned.status).toBe(409);
      expect(warned.body).toMatchObject({ code: 'number_needs_warning' });
      expect(warned.body.message).toMatch(new RegExp(`^\\${MAIN} is flagged: Meta flagged this number for low quality.*may not get through`));
      expect(await activeDisplay(tenant)).toBe(SECOND);

      expect((await tenant.browser.post(`/api/phone-numbers/${flagged}/active`, { acceptWarning: 'yes' })).status).toBe(400);
      const chosen = await tenant.browser.post(`/api/phone-numbers/${flagged}/active`, { acceptWarning: true });
      expect(chosen.status).toBe(200);
      expect(await activeDisplay(tenant)).toBe(MAIN);
      expect((await audit(tenant)).find((a) => a.action === 'phone_number.activated')).toMatchObject({ actorName: tenant.session.user.name, details: 'Chosen despite the warning: Flagged' });
    });

    it('moves the active number off a credential Meta refused on "test connection", to a number of another credential', async () => {
      const tenant = await createTenant(api.server);
      await connect(tenant, [MAIN]);
      await connect(tenant, [NORTHWIND], 'Northwind Clinics');
      expect(await activeDisplay(tenant)).toBe(MAIN);

      await sandbox.control('POST', '/faults', {
        endpoint: 'GET /{phone-number-id}',
        count: 1,
        error: { code: 190, subcode: 460, message: 'Error validating access token: The session has been invalidated' },
      });
      expect((await tenant.browser.post(`/api/phone-numbers/${phoneIdOf(sandbox, MAIN)}/refresh`)).status).toBe(400);
      expect(await activeDisplay(tenant)).toBe(NORTHWIND);
      const entry = (await audit(tenant)).find((a) => a.action === 'phone_number.active_changed');
      expect(entry).toMatchObject({ actorName: tenant.session.user.name });
      expect(entry?.details).toContain(`${MAIN} cannot send: Meta no longer accepts its credential. ${NORTHWIND} is now the active number`);
    });

    it('moves the active number when the scheduled check finds its credential dead, naming "Scheduled check"', async () => {
      const tenant = await createTenant(api.server);
      const token = await mintToken('Northwind Clinics');
      const added = await tenant.browser.post('/api/settings/phone-numbers', { phoneNumberId: phoneIdOf(sandbox, NORTHWIND), wabaId: wabaIdOf(sandbox, 'Northwind Clinics'), accessToken: token });
      expect(added.status).toBe(201);
      await connect(tenant, [MAIN]);
      expect(await activeDisplay(tenant)).toBe(NORTHWIND);

      await sandbox.control('POST', '/tokens/revoke', { token, subcode: 460 });
      await api.app.get(TokenSweepService).sweep({ trigger: 'manual', accountId: tenant.session.account.id, all: true });
      await waitUntil(async () => (await activeDisplay(tenant)) === MAIN, 10_000, 'the active number to move');
      await waitUntil(async () => (await activeEvents(tenant)).length === 1, 5000, 'the active-number event');
      expect((await audit(tenant)).find((a) => a.action === 'phone_number.active_changed')).toMatchObject({ actorName: 'Scheduled check', target: `Number ${NORTHWIND}` });
    });
  });

  describe('a manual add to a WABA that already works with a consented credential', () => {
    it('answers 409 naming the credential it would replace, and keeps it when asked to', async () => {
      const tenant = await createTenant(api.server);
      await connect(tenant, [MAIN]);
      const before = (await status(tenant)).wabas[0].connection;
      const token = await mintToken('Acme Bakery');
      const body = { phoneNumberId: phoneIdOf(sandbox, SECOND), wabaId: wabaIdOf(sandbox, 'Acme Bakery'), accessToken: token };

      const conflict = await tenant.browser.post('/api/settings/phone-numbers', body);
      expect(conflict.status).toBe(409);
      expect(conflict.body.code).toBe('credential_choice_needed');
      expect(conflict.body.message).toMatch(/already works with a credential from Embedded Signup, saved today/);
      expect((await status(tenant)).wabas[0].numbers.map((n) => n.displayPhone)).toEqual([MAIN]);
      expect((await tenant.browser.post('/api/settings/phone-numbers', { ...body, credentialChoice: 'both' })).status).toBe(400);

      const kept = await tenant.browser.post('/api/settings/phone-numbers', { ...body, credentialChoice: 'keep-existing' });
      expect(kept.status).toBe(201);
      expect((await status(tenant)).wabas[0].connection).toMatchObject({ id: before?.id, source: 'embedded_signup', status: 'active' });
      expect((await audit(tenant)).find((a) => a.action === 'connection.choice')?.details).toBe('Kept the credential from Embedded Signup; the pasted token was checked with Meta and not stored');
    });

    it('stores the pasted token in its place when the tenant chooses the new one, and audits the choice', async () => {
      const tenant = await createTenant(api.server);
      await connect(tenant, [MAIN]);
      const before = (await status(tenant)).wabas[0].connection;
      const token = await mintToken('Acme Bakery');
      const used = await tenant.browser.post('/api/settings/phone-numbers', {
        phoneNumberId: phoneIdOf(sandbox, SECOND),
        wabaId: wabaIdOf(sandbox, 'Acme Bakery'),
        accessToken: token,
        credentialChoice: 'use-new',
      });
      expect(used.status).toBe(201);
      const after = (await status(tenant)).wabas[0].connection;
      expect(after?.id).not.toBe(before?.id);
      expect(after?.source).toBe('manual');
      expect((await audit(tenant)).find((a) => a.action === 'connection.choice')).toMatchObject({
        actorName: tenant.session.user.name,
        details: 'Replaced the credential from Embedded Signup with the pasted token',
      });
    });
  });

  describe('the two-step PIN we set', () => {
    const reveal = (tenant: { browser: SignedInTenant['browser'] }, phoneNumberId: string, password: string) => tenant.browser.post(`/api/phone-numbers/${phoneNumberId}/pin/reveal`, { password });

    it('says a PIN was set and shows it to an owner who types their password again, auditing every reveal', async () => {
      const tenant = await createTenant(api.server);
      await connect(tenant, [MAIN, SECOND]);
      const registered = phoneIdOf(sandbox, SECOND);
      expect(await numberOf(tenant, SECOND)).toMatchObject({ registration: 'registered', pinSet: true });
      expect(await numberOf(tenant, MAIN)).toMatchObject({ pinSet: false });
      expect(JSON.stringify(await status(tenant))).not.toContain(sandbox.world.phoneNumbers.get(registered)?.twoStepPin);

      const wrong = await reveal(tenant, registered, 'not-my-password');
      expect(wrong.status).toBe(403);
      expect(wrong.body).toMatchObject({ code: 'password_incorrect', message: 'That password is not correct, so the PIN stays hidden.' });

      const shown = await reveal(tenant, registered, tenant.password);
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({ phoneNumberId: registered, pin: sandbox.world.phoneNumbers.get(registered)?.twoStepPin });
      expect(shown.body.pin).toMatch(/^\d{6}$/);

      const entries = await audit(tenant);
      expect(entries.find((a) => a.action === 'phone_number.pin_revealed')).toMatchObject({ actorName: tenant.session.user.name, target: `Number ${SECOND}` });
      expect(entries.find((a) => a.action === 'phone_number.pin_reveal_refused')).toMatchObject({ actorName: tenant.session.user.name });
      expect(JSON.stringify(entries)).not.toContain(shown.body.pin);

      const none = await reveal(tenant, phoneIdOf(sandbox, MAIN), tenant.password);
      expect(none.status).toBe(404);
      expect(none.body.message).toMatch(/did not set a two-step PIN for this number/);
    });

    it('refuses non-owners in words, and limits password attempts', async () => {
      const tenant = await createTenant(api.server);
      await connect(tenant, [SECOND]);
      const registered = phoneIdOf(sandbox, SECOND);
      const admin = await addInvitedUser(api.server, tenant, 'admin');
      const refused = await reveal(admin, registered, admin.password);
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe("Only an owner of this account can reveal a number's two-step PIN; ask an owner.");

      for (let i = 0; i < 5; i++) expect((await reveal(tenant, registered, `guess-${i}`)).status).toBe(403);
      const limited = await reveal(tenant, registered, tenant.password);
      expect(limited.status).toBe(429);
      expect(limited.body.message).toMatch(/Too many attempts to reveal a PIN\. Try again in \d+ minutes\./);
      expect((await audit(tenant)).some((a) => a.action === 'phone_number.pin_revealed')).toBe(false);
    });
  });
});
