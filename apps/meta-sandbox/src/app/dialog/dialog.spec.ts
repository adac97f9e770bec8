import { APP_ID, grantConsent, OPENER_ORIGIN, Sandbox, startSandbox, VERSION } from '@waba/testing/sandbox';

describe('consent dialog, Embedded Signup popup and sdk.js', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = await startSandbox({ publicUrl: 'http://localhost:4100' });
  });
  afterEach(() => sandbox.close());

  const dialog = (params: Record<string, string>) => fetch(`${sandbox.baseUrl}/${VERSION}/dialog/oauth?${new URLSearchParams(params).toString()}`);

  describe('consent page', () => {
    it("lists the demo businesses, then a business's WABAs and numbers with their state", async () => {
      const base = { client_id: APP_ID, redirect_uri: 'https://app.example/cb', state: 's', config_id: 'sandbox-config-1' };
      const first = await (await dialog(base)).text();
      for (const name of ['Acme Bakery', 'Northwind Clinics', 'Globex Travel', 'Initech Labs']) expect(first).toContain(name);
      expect(first).not.toContain('Tech Provider');

      const acmeId = [...sandbox.world.businesses.values()].find((b) => b.name === 'Acme Bakery')?.id ?? '';
      const second = await (await dialog({ ...base, business_id: acmeId })).text();
      expect(second).toContain('Acme Bakery Marketing');
      expect(second).toContain('+1 555-010-0177');
      expect(second).toMatch(/FLAGGED · quality RED/);
      expect(second).toContain('name="waba_ids"');
      expect(second).toContain('name="phone_number_ids"');
    });

    it('refuses an unknown app and a redirect flow without redirect_uri', async () => {
      expect((await dialog({ client_id: '999', redirect_uri: 'https://a/cb' })).status).toBe(400);
      const missing = await dialog({ client_id: APP_ID });
      expect(missing.status).toBe(400);
      expect(await missing.text()).toContain('URL Blocked');
    });

    it("redirects a cancel back with Meta's error parameters and the state", async () => {
      const { location, code } = await grantConsent(sandbox, { flow: 'redirect', action: 'cancel' });
      expect(code).toBeUndefined();
      expect(Object.fromEntries(location?.searchParams ?? [])).toEqual({
        error: 'access_denied',
        error_code: '200',
        error_description: 'Permissions error',
        error_reason: 'user_denied',
        state: 'state-123',
      });
    });
  });

  describe('Embedded Signup popup', () => {
    it("posts FINISH to the opener's origin, then hands the code to the SDK callback", async () => {
      const consent = await grantConsent(sandbox, { flow: 'sdk', extras: { setup: {}, featureType: '', sessionInfoVersion: '3' } });
      expect(consent.targetOrigin).toBe(OPENER_ORIGIN);
      const [sessionInfo, sdkResult] = consent.messages;
      const [newest, older] = consent.wabaIds.slice().reverse();
      expect(sessionInfo).toEqual({
        type: 'WA_EMBEDDED_SIGNUP',
        event: 'FINISH',
        data: {
          phone_number_id: expect.any(String),
          waba_id: newest,
          business_id: consent.businessId,
          waba_ids: [newest, older],
        },
        version: 3,
      });
      const phoneNumberId = (sessionInfo['data'] as { phone_number_id: string }).phone_number_id;
      expect(sandbox.world.phoneNumbers.get(phoneNumberId)?.wabaId).toBe(newest); // the number belongs to waba_id
      expect(sdkResult).toEqual({
        type: 'SANDBOX_SDK_LOGIN_RESULT',
        response: { status: 'connected', authResponse: expect.objectContaining({ code: consent.code }) },
      });
      expect(consent.code).toMatch(/^AQ/);
    });

    it('finishes with FINISH_ONLY_WABA when only WABAs are shared', async () => {
      const consent = await grantConsent(sandbox, { flow: 'sdk', wabas: ['Acme Bakery'], extras: { featureType: 'only_waba_sharing' } });
      expect(consent.messages[0]).toEqual({
        type: 'WA_EMBEDDED_SIGNUP',
        event: 'FINISH_ONLY_WABA',
        data: { waba_id: consent.wabaIds[0], business_id: consent.businessId },
      });
    });

    it('finishes a coexistence signup with only the WABA id', async () => {
      const consent = await grantConsent(sandbox, {
        flow: 'sdk',
        business: 'Northwind Clinics',
        extras: { featureType: 'whatsapp_business_app_onboarding' },
      });
      expect(consent.messages[0]).toMatchObject({ event: 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING', data: { waba_id: consent.wabaIds[0] } });
      expect(Object.keys(consent.messages[0]['data'] as object)).toEqual(['waba_id']);
    });

    it('posts CANCEL with the current step when the person cancels', async () => {
      const consent = await grantConsent(sandbox, { flow: 'sdk', action: 'cancel' });
      expect(consent.messages).toEqual([
        { type: 'WA_EMBEDDED_SIGNUP', event: 'CANCEL', data: { current_step: 'PHONE_NUMBER_SETUP' } },
        { type: 'SANDBOX_SDK_LOGIN_RESULT', response: { authResponse: null, status: 'unknown' } },
      ]);
    });

    it('ends with a CANCEL error when Meta refuses the business', async () => {
      const consent = await grantConsent(sandbox, { flow: 'sdk', business: 'Initech Labs', action: 'error' });
      expect(consent.code).toBeUndefined();
      expect(consent.messages[0]).toEqual({
        type: 'WA_EMBEDDED_SIGNUP',
        event: 'CANCEL',
        data: {
          error_message: "Initech Labs can't onboard customers at the moment.",
          error_code: expect.any(String),
          session_id: expect.any(String),
          timestamp: expect.any(Number),
        },
      });
    });
  });

  describe('sdk.js', () => {
    it('loads cross-origin and opens the sandbox dialog with the login options', async () => {
      const response = await fetch(`${sandbox.baseUrl}/en_US/sdk.js`, { headers: { origin: OPENER_ORIGIN } });
      expect(response.headers.get('access-control-allow-origin')).toBe(OPENER_ORIGIN);
      expect(response.headers.get('content-type')).toContain('javascript');
      const script = await response.text();
      expect(script).toContain('"http://localhost:4100"');
      for (const part of ['window.FB', 'init:', 'login:', 'config_id', 'override_default_response_type', 'extras', 'fbAsyncInit']) {
        expect(script).toContain(part);
      }
      expect(() => new Function(script)).not.toThrow();
    });
  });

  it('shows the demo world on the control index page with links to both flows', async () => {
    const page = await (await fetch(`${sandbox.baseUrl}/_sandbox`)).text();
    expect(page).toContain('Northwind Clinics');
    expect(page).toContain('/dialog/oauth?');
    expect(page).toContain('/_sandbox/popup-demo');
    expect(await (await fetch(`${sandbox.baseUrl}/_sandbox/popup-demo`)).text()).toContain('FB.login');
  });
});
