import { getConnectionToken } from '@nestjs/mongoose';
import { deriveWabaStatus, type EventsPageView, type OnboardingSessionView, type WhatsAppStatusView } from '@waba/contracts';
import { Types, type Connection, type mongo } from 'mongoose';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { webhooksSettled } from '../support/jobs';
import { WebhooksRepository } from '@waba/api/webhooks/webhooks.repository';
import { unpackBody } from '@waba/api/webhooks/stored-body';
import type { TestApp } from '../support/test-app';
import { createTenant, type SignedInTenant } from '../support/tenants';
import { accountUpdate, inboundMessage, nameUpdate, qualityUpdate, reactionMessage, signed, statuses, TestBrowser } from '@waba/testing';
import { embeddedSignup, phoneIdOf, wabaIdOf, type Sandbox } from '../support/meta-sandbox';
import { makeOperator } from '../support/operators';
import { useApiWithSandbox } from '../support/suite';

const OPERATOR = 'ops@wabaconnect.example';

describe('Meta webhooks: verified, durable, deduplicated, routed', () => {
  let api: TestApp;
  let sandbox: Sandbox;

  useApiWithSandbox((running) => ({ api, sandbox } = running), { META_WEBHOOK_VERIFY_TOKEN: 'verify-me' });

  const db = () => api.app.get<Connection>(getConnectionToken());
  const processed = () => webhooksSettled(api.app);

  async function deliver(payload: object | string | Buffer, signature?: string) {
    const raw = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
    const message = signed(raw);
    const response = await request(api.server)
      .post('/api/webhooks/whatsapp')
      .set('Content-Type', 'application/json')
      .set('X-Hub-Signature-256', signature ?? message.signature)
      .send(message.body.toString('utf8')); // a string goes out as its bytes; a Buffer would be JSON-encoded
    await processed();
    return response;
  }

  async function connectedTenant(displayPhones = ['+1 555-010-0199']): Promise<SignedInTenant> {
    const tenant = await createTenant(api.server);
    const { code, wabaId } = await embeddedSignup(sandbox);
    const session = (await tenant.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId } })).body as OnboardingSessionView;
    await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: displayPhones.map((p) => phoneIdOf(sandbox, p)) });
    return tenant;
  }

  const events = async (tenant: SignedInTenant, query = '') => (await tenant.browser.get(`/api/events${query}`)).body as EventsPageView;

  describe('verification handshake', () => {
    it('echoes the challenge for the right verify token', async () => {
      const response = await request(api.server).get('/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444');
      expect(response.status).toBe(200);
      expect(response.text).toBe('1158201444');
    });

    it('answers 403 to a wrong verify token', async () => {
      const response = await request(api.server).get('/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1');
      expect(response.status).toBe(403);
    });
  });

  describe('signature', () => {
    it('refuses a missing or wrong signature with 401 and stores nothing', async () => {
      const body = JSON.stringify(inboundMessage('1', '2', { id: 'wamid.A', text: 'hi' }));
      expect((await request(api.server).post('/api/webhooks/whatsapp').set('Content-Type', 'application/json').send(body)).status).toBe(401);
      expect((await deliver(body, `sha256=${'0'.repeat(64)}`)).status).toBe(401);
      expect((await deliver(body, signed(body, 'another-secret').signature)).status).toBe(401);
      expect(await db().collection('webhook_inbox').countDocuments()).toBe(0);
      expect(await db().collection('webhook_deliveries').countDocuments()).toBe(0);
    });

    it('verifies over the raw bytes, non-ASCII included, and refuses a body re-serialised by a proxy', async () => {
      const tenant = await connectedTenant();
      const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
      const phone = phoneIdOf(sandbox, '+1 555-010-0199');
      const raw = JSON.stringify(inboundMessage(wabaId, phone, { id: 'wamid.NONASCII', text: 'Grüße, ¿qué tal? 👋 äöå' }));
      const original = signed(raw);
      expect((await deliver(raw)).status).toBe(200);

      // A proxy that re-serialises with \u escapes changes the bytes: the original signature no longer matches.
      const escaped = raw.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      expect(escaped).not.toBe(raw);
      expect((await deliver(escaped, original.signature)).status).toBe(401);

      const page = await events(tenant);
      expect(page.items[0]?.detail).toBe('Grüße, ¿qué tal? 👋 äöå');
    });
  });

  it('accepts Meta’s 3 MB and refuses more with 413', async () => {
    const filler = 'x'.repeat(3 * 1024 * 1024 - 200);
    const fits = JSON.stringify({ object: 'whatsapp_business_account', entry: [], filler });
    expect(Buffer.byteLength(fits)).toBeLessThanOrEqual(3 * 1024 * 1024);
    expect((await deliver(fits)).status).toBe(200);
    const tooBig = JSON.stringify({ object: 'whatsapp_business_account', entry: [], filler: filler + 'x'.repeat(1024) });
    expect((await deliver(tooBig)).status).toBe(413);
  });

  it('stores malformed JSON with a valid signature as rejected, answers 200, and shows it to operators only', async () => {
    expect((await deliver('{"object": "whatsapp_business_account", "entry": [')).status).toBe(200);
    const stored = await db().collection('webhook_deliveries').findOne({});
    expect(stored?.['status']).toBe('rejected');

    const tenant = await createTenant(api.server);
    expect((await tenant.browser.get('/api/operator/webhook-deliveries')).status).toBe(403);
    const operator = await new TestBrowser(api.server).visit();
    await operator.post('/api/auth/signup', { accountName: 'WABA Connect Ops', name: 'Ops', email: OPERATOR, password: 'operator password 1' });
    await makeOperator(api.app, OPERATOR);
    const problems = await operator.get('/api/operator/webhook-deliveries');
    expect(problems.status).toBe(200);
    expect(problems.body[0]).toMatchObject({ status: 'rejected', error: 'The body is not a JSON object' });
    expect(JSON.stringify(problems.body)).not.toContain('whatsapp_business_account');
  });

  it('applies a delivery sent three times exactly once', async () => {
    const tenant = await connectedTenant();
    const payload = inboundMessage(wabaIdOf(sandbox, 'Acme Bakery'), phoneIdOf(sandbox, '+1 555-010-0199'), { id: 'wamid.DUP', text: 'once' });
    for (let i = 0; i < 3; i++) expect((await deliver(payload)).status).toBe(200);
    expect(await db().collection('webhook_deliveries').countDocuments()).toBe(1);
    expect(await db().collection('webhook_inbox').countDocuments()).toBe(0);
    expect((await events(tenant)).items.filter((e) => e.type === 'message.received')).toHaveLength(1);
  });

  it('keeps the bytes Meta signed, deflated, in the archive', async () => {
    await connectedTenant();
    const payload = JSON.stringify(inboundMessage(wabaIdOf(sandbox, 'Acme Bakery'), phoneIdOf(sandbox, '+1 555-010-0199'), { id: 'wamid.KEPT', text: 'Grüße 👋 '.repeat(40) }));
    expect((await deliver(payload)).status).toBe(200);
    const stored = await db().collection<{ body: mongo.Binary; rawBody?: string; status: string }>('webhook_deliveries').findOne({});
    expect(stored?.status).toBe('applied');
    expect(stored?.rawBody).toBeUndefined();
    expect(stored?.body.length()).toBeLessThan(Buffer.byteLength(payload) / 2);
    expect(unpackBody({ body: stored?.body })).toBe(payload);
  });

  it('handles a batch of 50 statuses and keeps each message’s status monotonic', async () => {
    const tenant = await connectedTenant();
    const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
    const phone = phoneIdOf(sandbox, '+1 555-010-0199');
    const batch = Array.from({ length: 50 }, (_, i) => ({ id: `wamid.B${i}`, status: 'delivered' }));
    expect((await deliver(statuses(wabaId, phone, batch))).status).toBe(200);
    // One event for the batch (one insert), naming what happened to the 50 messages.
    const batchEvents = await events(tenant, '?types=message.status&pageSize=100');
    expect(batchEvents.total).toBe(1);
    expect(batchEvents.items[0].title).toBe('50 delivery updates: 50 delivered');

    await deliver(statuses(wabaId, phone, [{ id: 'wamid.ORDER', status: 'read', timestamp: 1767225800 }]));
    await deliver(statuses(wabaId, phone, [{ id: 'wamid.ORDER', status: 'delivered', timestamp: 1767225790 }]));
    await deliver(statuses(wabaId, phone, [{ id: 'wamid.ORDER', status: 'sent', timestamp: 1767225780 }]));
    await deliver(statuses(wabaId, phone, [{ id: 'wamid.FORWARD', status: 'sent', timestamp: 1767225780 }]));
    await deliver(statuses(wabaId, phone, [{ id: 'wamid.FORWARD', status: 'delivered', timestamp: 1767225790 }]));
    const accountId = tenant.session.account.id;
    const repository = api.app.get(WebhooksRepository);
    expect(await repository.messageStatus(accountId, 'wamid.B7')).toBe('delivered');
    expect(await repository.messageStatus(accountId, 'wamid.ORDER')).toBe('read');
    expect(await repository.messageStatus(accountId, 'wamid.FORWARD')).toBe('delivered');

    // Stored as two lists of strings, not 50 subdocuments; events stored the earlier way still count.
    const stored = await db().collection('tenant_events').findOne({ title: '50 delivery updates: 50 delivered' });
    expect({ ids: stored?.['messageIds']?.length, statuses: stored?.['messageStatuses']?.length, subdocuments: stored?.['statuses'] }).toEqual({ ids: 50, statuses: 50, subdocuments: undefined });
    await db()
      .collection('tenant_events')
      .insertOne({ ...stored, _id: new Types.ObjectId(), key: 'older', messageIds: undefined, messageStatuses: undefined, statuses: [{ messageId: 'wamid.B8', status: 'read', rank: 30 }] });
    expect(await repository.messageStatus(accountId, 'wamid.B8')).toBe('read');
  });

  it('routes messages by phone_number_id, and by the WABA when the number is unknown', async () => {
    const tenant = await connectedTenant();
    const other = await createTenant(api.server);
    const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
    await deliver(inboundMessage(wabaId, phoneIdOf(sandbox, '+1 555-010-0199'), { id: 'wamid.BYNUMBER', text: 'by number' }));
    await deliver(inboundMessage(wabaId, '699999999999999', { id: 'wamid.BYWABA', text: 'by waba' }));
    const titles = (await events(tenant)).items.map((e) => e.detail);
    expect(titles).toEqual(expect.arrayContaining(['by number', 'by waba']));
    expect((await events(other)).total).toBe(0);
  });

  it('revokes on PARTNER_APP_UNINSTALLED, read from waba_info (not entry.id)', async () => {
    const tenant = await connectedTenant();
    const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
    await deliver(accountUpdate(wabaId, 'PARTNER_APP_UNINSTALLED'));
    const status = (await tenant.browser.get('/api/integrations/whatsapp/oauth/status')).body as WhatsAppStatusView;
    expect(status.wabas[0]).toMatchObject({ state: 'revoked' });
    expect(status.wabas[0].connection?.status).toBe('revoked');
    expect((await events(tenant, '?types=account.update')).items[0].title).toBe('WABA Connect app removed');
  });

  it('words ACCOUNT_RESTRICTION and marks the WABA restricted, which its numbers then show', async () => {
    const tenant = await connectedTenant();
    const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
    await deliver(accountUpdate(wabaId, 'ACCOUNT_RESTRICTION'));
    const event = (await events(tenant, '?types=account.update')).items[0];
    expect(event).toMatchObject({ title: 'Meta restricted the account', wabaId });
    expect(event.detail).toContain('may not start new conversations');
    const status = (await tenant.browser.get('/api/integrations/whatsapp/oauth/status')).body as WhatsAppStatusView;
    expect(status.wabas[0].restriction).toMatchObject({ event: 'ACCOUNT_RESTRICTION' });
    expect(deriveWabaStatus(status.wabas[0], Date.now()).label).toBe('Restricted by Meta');
  });

  it('shows the emoji of a reaction', async () => {
    const tenant = await connectedTenant();
    const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
    await deliver(reactionMessage(wabaId, phoneIdOf(sandbox, '+1 555-010-0199'), 'wamid.REACT1', '👍'));
    expect((await events(tenant, '?types=message.received')).items[0].detail).toBe('Reacted 👍');
  });

  it('updates quality, messaging limit and display name from account-level webhooks', async () => {
    const tenant = await connectedTenant();
    const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
    await deliver(qualityUpdate(wabaId, '15550100199', 'FLAGGED', 'TIER_250'));
    await deliver(nameUpdate(wabaId, '15550100199', 'APPROVED', 'Acme Bakery & Co'));
    const number = ((await tenant.browser.get('/api/phone-numbers')).body as WhatsAppStatusView).wabas[0].numbers[0];
    expect(number).toMatchObject({ qualityRating: 'RED', metaStatus: 'FLAGGED', messagingLimit: 'TIER_250', nameStatus: 'APPROVED', verifiedName: 'Acme Bakery & Co' });
    const quality = (await events(tenant, '?types=phone_number.quality')).items[0];
    expect(quality.title).toMatch(/flagged for low quality$/);
    expect(quality.detail).toContain('250 customers a day');
  });

  it("routes a number's messages only to the tenant it is connected to now, not to a former one", async () => {
    const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
    const [main, deliveries] = [phoneIdOf(sandbox, '+1 555-010-0199'), phoneIdOf(sandbox, '+1 555-010-0142')];
    const former = await connectedTenant(['+1 555-010-0199', '+1 555-010-0142']);
    expect((await former.browser.post('/api/integrations/whatsapp/disconnect', { wabaId })).status).toBe(200);
    // The business moves to another tenant, which connects only one of the two numbers.
    const current = await connectedTenant(['+1 555-010-0142']);
    expect((await deliver(inboundMessage(wabaId, main, { id: 'wamid.AFTERMOVE', text: 'for the current owner' }))).status).toBe(200);
    expect((await deliver(inboundMessage(wabaId, deliveries, { id: 'wamid.PICKED', text: 'picked number' }))).status).toBe(200);
    const texts = async (tenant: SignedInTenant) => (await events(tenant, '?types=message.received')).items.map((e) => e.detail);
    expect(await texts(former)).toEqual([]);
    expect((await texts(current)).sort()).toEqual(['for the current owner', 'picked number']);
  });

  it('still applies events for a number whose credential needs reconnecting', async () => {
    const tenant = await connectedTenant();
    await db()
      .collection('meta_connections')
      .updateMany({}, { $set: { status: 'needs_reauth' } });
    await deliver(inboundMessage(wabaIdOf(sandbox, 'Acme Bakery'), phoneIdOf(sandbox, '+1 555-010-0199'), { id: 'wamid.REAUTH', text: 'still here' }));
    expect((await events(tenant)).items.map((e) => e.detail)).toContain('still here');
  });

  it('keeps events for unknown WABAs as unroutable and applies them once the WABA is connected', async () => {
    const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
    await deliver(inboundMessage(wabaId, phoneIdOf(sandbox, '+1 555-010-0199'), { id: 'wamid.EARLY', text: 'before connect' }));
    expect((await db().collection('webhook_deliveries').findOne({}))?.['status']).toBe('unroutable');

    const tenant = await connectedTenant();
    await processed();
    for (let i = 0; i < 20 && (await events(tenant)).total === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await events(tenant)).items.map((e) => e.detail)).toContain('before connect');
    expect((await db().collection('webhook_deliveries').findOne({}))?.['status']).toBe('applied');
  });

  it('filters and paginates the events list, and refuses unknown filters', async () => {
    const tenant = await connectedTenant();
    const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
    const phone = phoneIdOf(sandbox, '+1 555-010-0199');
    for (let i = 0; i < 3; i++) await deliver(inboundMessage(wabaId, phone, { id: `wamid.P${i}`, text: `m${i}` }));
    await deliver(statuses(wabaId, phone, [{ id: 'wamid.S', status: 'sent' }]));
    const page = await events(tenant, '?types=message.received&page=2&pageSize=2');
    expect(page).toMatchObject({ page: 2, pageSize: 2, total: 3 });
    expect(page.items).toHaveLength(1);
    expect((await tenant.browser.get('/api/events?types=bogus')).status).toBe(400);
  });

  it('receives what the sandbox sends, signed and retried like Meta', async () => {
    const tenant = await connectedTenant();
    await api.app.listen(0, '127.0.0.1');
    const port = (api.server.address() as AddressInfo).port;
    const phone = phoneIdOf(sandbox, '+1 555-010-0199');
    const sent = await sandbox.control('POST', '/webhooks', {
      callbackUrl: `http://127.0.0.1:${port}/api/webhooks/whatsapp`,
      events: [{ type: 'message', phoneNumberId: phone, text: 'from the sandbox' }],
    });
    expect(sent.status).toBe(202);
    for (let i = 0; i < 50 && !(await events(tenant)).items.some((e) => e.detail === 'from the sandbox'); i++) await new Promise((r) => setTimeout(r, 100));
    expect((await events(tenant)).items.map((e) => e.detail)).toContain('from the sandbox');
  });
});
