import { MetaGraphError } from '@waba/meta-graph';
import { businessToken, failure, grantConsent, Sandbox, startSandbox, wabaIdOf } from '@waba/testing/sandbox';

/** Seconds left on a fresh 60-day token; real milliseconds pass between issue and answer. */
function expectSixtyDays(expiresIn: number | undefined): void {
  expect(expiresIn).toBeLessThanOrEqual(60 * 24 * 3600);
  expect(expiresIn).toBeGreaterThan(60 * 24 * 3600 - 5);
}

describe('code exchange and tokens (MetaGraphClient against the running sandbox)', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = await startSandbox();
  });
  afterEach(() => sandbox.close());

  describe('Embedded Signup (SDK) codes', () => {
    it('exchange without redirect_uri for a business token that lists the newest WABA first', async () => {
      const consent = await grantConsent(sandbox, { flow: 'sdk' });
      const client = sandbox.client();
      const token = await client.exchangeCode({ code: consent.code ?? '' });
      expect(token.access_token).toMatch(/^EAA[A-Za-z0-9]{100,}$/);
      expect(token.token_type).toBe('bearer');
      expectSixtyDays(token.expires_in);

      const debug = await client.debugToken(token.access_token);
      const newest = wabaIdOf(sandbox, 'Acme Bakery Marketing');
      const older = wabaIdOf(sandbox, 'Acme Bakery');
      expect(debug.is_valid).toBe(true);
      expect(debug.granular_scopes).toEqual(
        expect.arrayContaining([
          { scope: 'whatsapp_business_management', target_ids: [newest, older] },
          { scope: 'whatsapp_business_messaging', target_ids: [newest, older] },
        ]),
      );
      expect(await client.getMe(token.access_token)).toMatchObject({ client_business_id: consent.businessId });
    });

    it('are valid for 30 seconds', async () => {
      const early = await grantConsent(sandbox, { flow: 'sdk' });
      const late = await grantConsent(sandbox, { flow: 'sdk' });
      sandbox.clock.advance(29_000);
      await expect(sandbox.client().exchangeCode({ code: early.code ?? '' })).resolves.toHaveProperty('access_token');
      sandbox.clock.advance(2_000);
      const error = await failure<MetaGraphError>(sandbox.client().exchangeCode({ code: late.code ?? '' }));
      expect(error).toMatchObject({ kind: 'invalid', code: 100, retryable: false });
      expect(error.message).toContain('expired');
    });

    it('are single-use', async () => {
      const { code = '' } = await grantConsent(sandbox, { flow: 'sdk' });
      await sandbox.client().exchangeCode({ code });
      const error = await failure<MetaGraphError>(sandbox.client().exchangeCode({ code }));
      expect(error).toMatchObject({ kind: 'invalid', code: 100 });
      expect(error.message).toContain('has been used');
    });

    it('fail when a redirect_uri is sent with them', async () => {
      const { code = '' } = await grantConsent(sandbox, { flow: 'sdk' });
      const error = await failure<MetaGraphError>(sandbox.client().exchangeCode({ code, redirectUri: 'https://app.example/callback' }));
      expect(error).toMatchObject({ kind: 'invalid', code: 100 });
      expect(error.message).toContain('redirect_uri is identical');
    });
  });

  describe('redirect-dialog codes', () => {
    const redirectUri = 'https://app.example/integrations/whatsapp/callback';

    it('need the identical redirect_uri', async () => {
      const missing = await grantConsent(sandbox, { flow: 'redirect', redirectUri });
      const different = await grantConsent(sandbox, { flow: 'redirect', redirectUri });
      const same = await grantConsent(sandbox, { flow: 'redirect', redirectUri });
      const client = sandbox.client();
      await expect(client.exchangeCode({ code: missing.code ?? '' })).rejects.toMatchObject({ code: 100 });
      await expect(client.exchangeCode({ code: different.code ?? '', redirectUri: `${redirectUri}/other` })).rejects.toMatchObject({ code: 100 });
      await expect(client.exchangeCode({ code: same.code ?? '', redirectUri })).resolves.toHaveProperty('access_token');
    });

    it('come back with the state and live 10 minutes', async () => {
      const first = await grantConsent(sandbox, { flow: 'redirect', redirectUri });
      const second = await grantConsent(sandbox, { flow: 'redirect', redirectUri });
      expect(first.location?.searchParams.get('state')).toBe('state-123');
      sandbox.clock.advance(9 * 60_000);
      await expect(sandbox.client().exchangeCode({ code: first.code ?? '', redirectUri })).resolves.toBeDefined();
      sandbox.clock.advance(2 * 60_000);
      await expect(sandbox.client().exchangeCode({ code: second.code ?? '', redirectUri })).rejects.toMatchObject({
        kind: 'invalid',
      });
    });
  });

  describe('token lifetime', () => {
    it('extends a valid token with fb_exchange_token, but not an expired one', async () => {
      const token = await businessToken(sandbox);
      const client = sandbox.client();
      sandbox.clock.advance(30 * 24 * 3600_000);
      const extended = await client.exchangeForLongLivedToken(token);
      expect(extended.access_token).not.toBe(token);
      expectSixtyDays(extended.expires_in);
      await expect(client.getMe(token)).resolves.toBeDefined(); // the old token keeps working

      sandbox.clock.advance(31 * 24 * 3600_000);
      const error = await failure<MetaGraphError>(client.exchangeForLongLivedToken(token));
      expect(error).toMatchObject({ kind: 'credential', code: 190, subcode: 463, retryable: false });
      expect(error.message).not.toContain(token);
    });

    it('reports expired and revoked tokens in debug_token and as 190 on calls', async () => {
      const expired = await businessToken(sandbox);
      const revoked = await businessToken(sandbox);
      await sandbox.control('POST', '/tokens/expire', { token: expired });
      await sandbox.control('POST', '/tokens/revoke', { token: revoked, subcode: 460 });
      const client = sandbox.client();

      expect(await client.debugToken(expired)).toMatchObject({ is_valid: false, error: { code: 190, subcode: 463 } });
      expect(await client.debugToken(revoked)).toMatchObject({ is_valid: false, error: { code: 190, subcode: 460 } });
      expect(await client.debugToken('EAAnot-a-token')).toMatchObject({ is_valid: false, error: { code: 190 } });
      await expect(client.getMe(revoked)).rejects.toMatchObject({ kind: 'credential', code: 190, subcode: 460 });
    });

    it('answers expires_at 0 for business tokens that never expire', async () => {
      await sandbox.control('PATCH', '/settings', { businessTokenExpiresInSeconds: null });
      const { code = '' } = await grantConsent(sandbox, { flow: 'sdk' });
      const token = await sandbox.client().exchangeCode({ code });
      expect(token.expires_in).toBeUndefined();
      expect((await sandbox.client().debugToken(token.access_token)).expires_at).toBe(0);
    });

    it('can answer debug_token without WABA targets, as Meta did from 2026-06', async () => {
      const token = await businessToken(sandbox);
      await sandbox.control('PATCH', '/settings', { debugTokenShape: 'without_waba_targets' });
      const debug = await sandbox.client().debugToken(token);
      expect(debug.scopes).toContain('whatsapp_business_management');
      expect(debug.granular_scopes?.map((s) => s.scope)).toEqual(['business_management', 'whatsapp_business_manage_events']);
      expect(debug.granular_scopes?.[1].target_ids).toBeUndefined();
    });

    it('refuses debug_token without the app access token', async () => {
      const token = await businessToken(sandbox);
      const wrongSecret = sandbox.client({ appSecret: 'not-the-secret' });
      await expect(wrongSecret.debugToken(token)).rejects.toMatchObject({ kind: 'credential', code: 190 });
    });
  });
});
