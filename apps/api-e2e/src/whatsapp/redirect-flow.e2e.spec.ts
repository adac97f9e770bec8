import { getConnectionToken } from '@nestjs/mongoose';
import type { OnboardingSessionView } from '@waba/contracts';
import type { Connection } from 'mongoose';
import type { TestApp } from '../support/test-app';
import { createTenant, type SignedInTenant } from '../support/tenants';
import { grantConsent, phoneIdOf, type Sandbox } from '../support/meta-sandbox';
import { useApiWithSandbox } from '../support/suite';

const CALLBACK = 'http://localhost:3999/integrations/whatsapp/callback';

describe('Connect WhatsApp by the OAuth redirect (passport-facebook + Meta sandbox)', () => {
  let api: TestApp;
  let sandbox: Sandbox;

  useApiWithSandbox((running) => ({ api, sandbox } = running));

  /** Step 1: the API sends the browser to the dialog with a fresh state. */
  async function startRedirect(tenant: SignedInTenant): Promise<{ dialog: URL; state: string }> {
    const response = await tenant.browser.get('/api/integrations/whatsapp/oauth/start');
    expect(response.status).toBe(302);
    const dialog = new URL(response.headers['location'] as string);
    return { dialog, state: dialog.searchParams.get('state') ?? '' };
  }

  /** Step 2: the person consents in the dialog; Meta redirects back with a code. */
  async function consent(business = 'Northwind Clinics', redirectUri = CALLBACK): Promise<string> {
    const result = await grantConsent(sandbox, { flow: 'redirect', business, redirectUri });
    return result.code ?? '';
  }

  it('refuses a callback body of any other shape in words, a nested `constructor` key included', async () => {
    const tenant = await createTenant(api.server);
    const refused = await tenant.browser.post('/api/integrations/whatsapp/oauth', { accountName: [{ constructor: 1 }], code: { constructor: 'x' } });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/code must be a string; state must/);
  });

  it('sends the browser to the dialog with client_id, the exact redirect_uri, config_id and state', async () => {
    const tenant = await createTenant(api.server);
    const { dialog, state } = await startRedirect(tenant);
    expect(dialog.origin).toBe(sandbox.baseUrl);
    expect(dialog.pathname).toBe('/v25.0/dialog/oauth');
    expect(dialog.searchParams.get('client_id')).toBe('100000000000001');
    expect(dialog.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(dialog.searchParams.get('config_id')).toBe('sandbox-config-1');
    expect(dialog.searchParams.get('response_type')).toBe('code');
    expect(state.length).toBeGreaterThanOrEqual(40);
    const stored = await api.app.get<Connection>(getConnectionToken()).collection('oauth_states').findOne({});
    expect(JSON.stringify(stored)).not.toContain(state);
    // The redirect's Location header carries the state: response headers stay out of the logs.
    expect(api.logs.text).not.toContain(state);
  });

  it('exchanges the code with the same redirect_uri and connects one number', async () => {
    const tenant = await createTenant(api.server);
    const { state } = await startRedirect(tenant);
    const code = await consent();
    const response = await tenant.browser.post('/api/integrations/whatsapp/oauth', { code, state });
    expect(response.status).toBe(201);
    const session = response.body as OnboardingSessionView;
    expect(session.source).toBe('oauth');
    const number = phoneIdOf(sandbox, '+44 7700 900461');
    const confirm = await tenant.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds: [number] });
    expect(confirm.body.status).toBe('completed');
    const status = await tenant.browser.get('/api/integrations/whatsapp/oauth/status');
    expect(status.body.wabas[0].numbers[0]).toMatchObject({ phoneNumberId: number, state: 'connected', source: 'oauth', isActive: true });
  });

  it('refuses a forged state and changes nothing', async () => {
    const tenant = await createTenant(api.server);
    await startRedirect(tenant);
    const response = await tenant.browser.post('/api/integrations/whatsapp/oauth', { code: await consent(), state: 'forged-state-value' });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/not one we issued/);
    expect((await tenant.browser.get('/api/integrations/whatsapp/oauth/status')).body.wabas).toEqual([]);
  });

  it("refuses another tenant's state, and leaves it usable by its owner", async () => {
    const [a, b] = [await createTenant(api.server), await createTenant(api.server)];
    const { state } = await startRedirect(a);
    const stolen = await b.browser.post('/api/integrations/whatsapp/oauth', { code: await consent(), state });
    expect(stolen.status).toBe(400);
    expect(stolen.body.message).toMatch(/issued to another user/);
    const own = await a.browser.post('/api/integrations/whatsapp/oauth', { code: await consent(), state });
    expect(own.status).toBe(201);
  });

  it('refuses a reused state', async () => {
    const tenant = await createTenant(api.server);
    const { state } = await startRedirect(tenant);
    expect((await tenant.browser.post('/api/integrations/whatsapp/oauth', { code: await consent(), state })).status).toBe(201);
    const again = await tenant.browser.post('/api/integrations/whatsapp/oauth', { code: await consent(), state });
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/already used/);
  });

  it('refuses an expired state', async () => {
    const tenant = await createTenant(api.server);
    const { state } = await startRedirect(tenant);
    await api.app
      .get<Connection>(getConnectionToken())
      .collection('oauth_states')
      .updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const response = await tenant.browser.post('/api/integrations/whatsapp/oauth', { code: await consent(), state });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/expired/);
  });

  it('refuses a reused code before it reaches Meta', async () => {
    const tenant = await createTenant(api.server);
    const code = await consent();
    const first = await tenant.browser.post('/api/integrations/whatsapp/oauth', { code, state: (await startRedirect(tenant)).state });
    expect(first.status).toBe(201);
    const second = await tenant.browser.post('/api/integrations/whatsapp/oauth', { code, state: (await startRedirect(tenant)).state });
    expect(second.status).toBe(400);
    expect(second.body.message).toMatch(/already used/);
    const codes = await api.app.get<Connection>(getConnectionToken()).collection('oauth_codes').countDocuments();
    expect(codes).toBe(1);
  });

  it('refuses a code issued for another redirect_uri', async () => {
    const tenant = await createTenant(api.server);
    const { state } = await startRedirect(tenant);
    const code = await consent('Northwind Clinics', 'https://elsewhere.example/callback');
    const response = await tenant.browser.post('/api/integrations/whatsapp/oauth', { code, state });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/redirect_uri/);
  });

  it('rejects a callback without code or state as invalid input', async () => {
    const tenant = await createTenant(api.server);
    const response = await tenant.browser.post('/api/integrations/whatsapp/oauth', { state: 'x' });
    expect(response.status).toBe(400);
    expect(response.body.details).toContain('code must not be empty');
  });
});
