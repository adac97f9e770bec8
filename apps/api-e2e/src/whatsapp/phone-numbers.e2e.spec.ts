import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { OnboardingSessionView, TenantRealtimeEvent, WhatsAppStatusView } from '@waba/contracts';
import type { AddressInfo } from 'node:net';
import { io } from 'socket.io-client';
import type { TestApp } from '../support/test-app';
import { createTenant, type SignedInTenant } from '../support/tenants';
import { connectNumbers, phoneIdOf, wabaIdOf, type Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';

describe('phone numbers: status, active number, refresh, disconnect, reconnect, manual add', () => {
  let api: TestApp;
  let sandbox: Sandbox;

  useApiWithSandbox((running) => ({ api, sandbox } = running));

  const connect = (tenant: SignedInTenant, displayPhones: string[], business?: string): Promise<OnboardingSessionView> => connectNumbers(sandbox, tenant, displayPhones, business);

  const status = async (tenant: SignedInTenant) => (await tenant.browser.get('/api/phone-numbers')).body as WhatsAppStatusView;

  it('chooses the active number', async () => {
    const tenant = await createTenant(api.server);
    await connect(tenant, ['+1 555-010-0199', '+1 555-010-0177']);
    const offers = phoneIdOf(sandbox, '+1 555-010-0177');
    // The demo world's offers number is flagged: choosing it is explicit (number-truth.e2e.spec.ts).
    expect((await tenant.browser.post(`/api/phone-numbers/${offers}/active`, { acceptWarning: true })).status).toBe(200);
    const after = await status(tenant);
    expect(after.activePhoneNumberId).toBe(offers);
    expect(after.wabas.flatMap((w) => w.numbers).filter((n) => n.isActive)).toHaveLength(1);
  });

  it('refreshes a number from Meta ("test connection")', async () => {
    const tenant = await createTenant(api.server);
    await connect(tenant, ['+1 555-010-0199']);
    const main = phoneIdOf(sandbox, '+1 555-010-0199');
    await sandbox.control('PATCH', `/phone-numbers/${main}`, { qualityRating: 'RED', messagingLimit: 'TIER_10K' });
    const refreshed = await tenant.browser.post(`/api/phone-numbers/${main}/refresh`);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ qualityRating: 'RED', messagingLimit: 'TIER_10K' });
    expect(refreshed.body.lastRefreshedAt).not.toBeNull();
  });

  it('marks the credential for reconnection when Meta says the token is dead', async () => {
    const tenant = await createTenant(api.server);
    await connect(tenant, ['+1 555-010-0199']);
    const main = phoneIdOf(sandbox, '+1 555-010-0199');
    await sandbox.control('POST', '/faults', {
      endpoint: 'GET /{phone-number-id}',
      count: 1,
      error: { code: 190, subcode: 460, message: 'Error validating access token: The session has been invalidated' },
    });
    const refreshed = await tenant.browser.post(`/api/phone-numbers/${main}/refresh`);
    expect(refreshed.status).toBe(400);
    expect((await status(tenant)).wabas[0].connection?.status).toBe('needs_reauth');
  });

  it('disconnects a number, then the WABA (unsubscribing), keeps history, and reconnecting restores the same records', async () => {
    const tenant = await createTenant(api.server);
    await connect(tenant, ['+1 555-010-0199', '+1 555-010-0142']);
    const main = phoneIdOf(sandbox, '+1 555-010-0199');
    const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
    const ourApp = () => sandbox.world.wabas.get(wabaId)?.subscriptions.some((s) => s.appId === '100000000000001');

    const one = await tenant.browser.post('/api/integrations/whatsapp/disconnect', { phoneNumberId: main });
    expect(one.status).toBe(200);
    expect(ourApp()).toBe(true); // another number still uses the WABA
    const all = await tenant.browser.post('/api/integrations/whatsapp/disconnect', { wabaId });
    expect(all.body.connected).toBe(false);
    expect(all.body.wabas[0]).toMatchObject({ state: 'disconnected', subscribed: false });
    expect(all.body.wabas[0].numbers.map((n: { state: string }) => n.state)).toEqual(['disconnected', 'disconnected']);
    expect(ourApp()).toBe(false);

    await connect(tenant, ['+1 555-010-0199', '+1 555-010-0142']);
    const again = await status(tenant);
    expect(again.wabas).toHaveLength(1);
    expect(again.wabas[0].numbers.map((n) => n.state)).toEqual(['connected', 'connected']);
    expect(again.wabas[0].numbers.find((n) => n.displayPhone === '+1 555-010-0142')?.registration).toBe('registered');
    expect(ourApp()).toBe(true);

    const audit = (await tenant.browser.get('/api/audit-log')).body as Array<{ action: string; actorName: string | null }>;
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['phone_number.connected', 'phone_number.disconnected', 'waba.disconnected', 'waba.subscribed']));
    // Each entry names the person who acted.
    const byPerson = audit.filter((a) => ['phone_number.disconnected', 'waba.disconnected'].includes(a.action));
    expect(byPerson.length).toBeGreaterThan(0);
    expect(byPerson.map((a) => a.actorName)).toEqual(byPerson.map(() => tenant.session.user.name));
  });

  it('adds a number by hand only after Meta confirms the token, the WABA and the number', async () => {
    const tenant = await createTenant(api.server);
    const business = [...sandbox.world.businesses.values()].find((b) => b.name === 'Northwind Clinics');
    const { body: minted } = await sandbox.control<{ access_token: string }>('POST', '/tokens', { businessId: business?.id });
    const wabaId = wabaIdOf(sandbox, 'Northwind Clinics');
    const number = phoneIdOf(sandbox, '+44 7700 900461');

    const wrongNumber = await tenant.browser.post('/api/settings/phone-numbers', { phoneNumberId: phoneIdOf(sandbox, '+1 555-010-0199'), wabaId, accessToken: minted.access_token });
    expect(wrongNumber.status).toBe(400);
    expect(wrongNumber.body.message).toMatch(/does not belong to WhatsApp Business Account/);
    const badToken = await tenant.browser.post('/api/settings/phone-numbers', { phoneNumberId: number, wabaId, accessToken: 'EAAnot-a-real-token' });
    expect(badToken.status).toBe(400);
    expect((await status(tenant)).wabas).toEqual([]);

    const added = await tenant.browser.post('/api/settings/phone-numbers', { phoneNumberId: number, wabaId, accessToken: minted.access_token, displayPhone: '+44 7700 900461' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ phoneNumberId: number, state: 'connected', source: 'manual' });
    expect(JSON.stringify(added.body)).not.toContain(minted.access_token);
  });

  it("refuses a manual add of another tenant's number with 409, and audits nothing", async () => {
    const [holder, other] = [await createTenant(api.server), await createTenant(api.server)];
    await connect(holder, ['+1 555-010-0199']);
    const business = [...sandbox.world.businesses.values()].find((b) => b.name === 'Acme Bakery');
    const { body: minted } = await sandbox.control<{ access_token: string }>('POST', '/tokens', { businessId: business?.id });
    const refused = await other.browser.post('/api/settings/phone-numbers', {
      phoneNumberId: phoneIdOf(sandbox, '+1 555-010-0199'),
      wabaId: wabaIdOf(sandbox, 'Acme Bakery'),
      accessToken: minted.access_token,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/connected to another account/);
    const audit = (await other.browser.get('/api/audit-log')).body as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).not.toContain('phone_number.added_manually');
  });

  it('refuses a token issued to another Meta app, before anything is stored', async () => {
    const tenant = await createTenant(api.server);
    const business = [...sandbox.world.businesses.values()].find((b) => b.name === 'Northwind Clinics');
    const { body: foreign } = await sandbox.control<{ access_token: string }>('POST', '/tokens', { businessId: business?.id, appId: '999999999999999' });
    const refused = await tenant.browser.post('/api/integrations/whatsapp/import', { accessToken: foreign.access_token });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/belongs to another Meta app/);
    expect(await api.app.get<Connection>(getConnectionToken()).collection('meta_connections').countDocuments()).toBe(0);
  });

  it('imports from Meta with a pasted token through the same picker', async () => {
    const tenant = await createTenant(api.server);
    const business = [...sandbox.world.businesses.values()].find((b) => b.name === 'Northwind Clinics');
    const { body: minted } = await sandbox.control<{ access_token: string }>('POST', '/tokens', { businessId: business?.id });
    const session = await tenant.browser.post('/api/integrations/whatsapp/import', { accessToken: minted.access_token });
    expect(session.status).toBe(201);
    expect(session.body.wabas[0].numbers).toHaveLength(2);
  });

  it('pushes number updates to the tenant’s room only', async () => {
    const [a, b] = [await createTenant(api.server), await createTenant(api.server)];
    await api.app.listen(0, '127.0.0.1');
    const port = (api.server.address() as AddressInfo).port;
    const cookieOf = (t: SignedInTenant) => [...t.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const received = { a: [] as TenantRealtimeEvent[], b: [] as TenantRealtimeEvent[] };
    const sockets = [a, b].map((tenant, i) =>
      io(`http://127.0.0.1:${port}`, { path: '/socket.io', transports: ['websocket'], extraHeaders: { Cookie: cookieOf(tenant) } }).on('tenant-event', (event: TenantRealtimeEvent) =>
        (i === 0 ? received.a : received.b).push(event),
      ),
    );
    const anonymous = io(`http://127.0.0.1:${port}`, { path: '/socket.io', transports: ['websocket'] });
    const refused = new Promise<string>((resolve) => anonymous.on('unauthorized', () => resolve('unauthorized')).on('disconnect', () => resolve('disconnected')));
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.on('connect', () => resolve()))));
    try {
      await connect(a, ['+1 555-010-0199']);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received.a.some((e) => e.type === 'phone-number.updated' && e.phoneNumber.state === 'connected')).toBe(true);
      expect(received.b).toEqual([]);
      expect(await refused).toMatch(/unauthorized|disconnected/);
    } finally {
      [...sockets, anonymous].forEach((s) => s.close());
    }
  });

  it("gives tenant B a 404 on every endpoint for tenant A's objects and changes nothing", async () => {
    const [a, b] = [await createTenant(api.server), await createTenant(api.server)];
    const session = await connect(a, ['+1 555-010-0199']);
    const main = phoneIdOf(sandbox, '+1 555-010-0199');
    const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
    const before = JSON.stringify(await status(a));

    const attempts = [
      b.browser.get(`/api/integrations/whatsapp/onboarding/${session.id}`),
      b.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: [main] }),
      b.browser.post(`/api/phone-numbers/${main}/active`),
      b.browser.post(`/api/phone-numbers/${main}/refresh`),
      b.browser.post(`/api/phone-numbers/${main}/disconnect`),
      b.browser.post('/api/integrations/whatsapp/disconnect', { phoneNumberId: main }),
      b.browser.post('/api/integrations/whatsapp/disconnect', { wabaId }),
    ];
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(404);
    expect((await status(b)).wabas).toEqual([]);
    expect((await b.browser.get('/api/audit-log')).body.some((e: { target: string }) => e.target.includes('555-010-0199'))).toBe(false);
    expect(JSON.stringify(await status(a))).toBe(before);
  });
});
