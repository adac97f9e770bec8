import { MetaGraphError, PHONE_NUMBER_FIELDS } from '@waba/meta-graph';
import { businessToken, failure, grantConsent, phoneIdOf, Sandbox, startSandbox, wabaIdOf } from '@waba/testing/sandbox';

describe('Graph reads and error handling (MetaGraphClient against the running sandbox)', () => {
  let sandbox: Sandbox;
  let token: string;

  beforeEach(async () => {
    sandbox = await startSandbox();
    token = await businessToken(sandbox);
  });
  afterEach(() => sandbox.close());

  const fault = (body: Record<string, unknown>) => sandbox.control('POST', '/faults', body);
  const pendingFaults = async () => (await sandbox.control<{ remaining: number }[]>('GET', '/faults')).body;

  describe('field expansion', () => {
    it('returns a WABA with its owner and numbers in one call', async () => {
      const waba = await sandbox.client().getWaba(token, wabaIdOf(sandbox, 'Acme Bakery'));
      expect(waba).toMatchObject({ name: 'Acme Bakery', account_review_status: 'APPROVED' });
      expect(waba.owner_business_info).toEqual({ id: expect.any(String), name: 'Acme Bakery' });
      expect(waba.phone_numbers?.data).toHaveLength(2);
      for (const phone of waba.phone_numbers?.data ?? []) {
        expect(Object.keys(phone).sort()).toEqual([...PHONE_NUMBER_FIELDS].sort());
      }
    });

    it('honours nested field lists, sub-object fields and .limit()', async () => {
      const waba = await sandbox.client().getWaba(token, wabaIdOf(sandbox, 'Acme Bakery'), ['id', 'owner_business_info{id}', { edge: 'phone_numbers', limit: 1, fields: ['id', 'quality_rating'] }]);
      expect(Object.keys(waba).sort()).toEqual(['id', 'owner_business_info', 'phone_numbers']);
      expect(Object.keys(waba.owner_business_info ?? {})).toEqual(['id']);
      expect(waba.phone_numbers?.data).toEqual([{ id: expect.any(String), quality_rating: 'GREEN' }]);
    });

    it('rejects a field the node type does not have', async () => {
      const error = await failure<MetaGraphError>(sandbox.client().getPhoneNumber(token, phoneIdOf(sandbox, '+1 555-010-0199'), ['id', 'no_such_field']));
      expect(error).toMatchObject({ kind: 'invalid', code: 100 });
      expect(error.message).toContain('nonexisting field (no_such_field)');
    });
  });

  describe('discovery', () => {
    it('finds the consent business, its owned WABAs and, for the partner, the shared ones', async () => {
      const client = sandbox.client();
      const me = await client.getMe(token);
      expect(await client.listOwnedWabas(token, me.client_business_id ?? '')).toMatchObject({
        data: [{ name: 'Acme Bakery' }, { name: 'Acme Bakery Marketing' }],
      });
      const partner = await client.listClientWabas(sandbox.world.partnerToken.value, sandbox.world.app.partnerBusinessId);
      expect(partner.data.map((w) => w.name).sort()).toEqual(['Acme Bakery', 'Acme Bakery Marketing']);
      expect(Object.keys(partner.data[0]).sort()).toEqual(['currency', 'id', 'message_template_namespace', 'name', 'timezone_id']);
    });

    it('follows cursor paging to the end of a long list', async () => {
      const business = await sandbox.control<{ id: string }>('POST', '/businesses', { name: 'Many WABAs Ltd' });
      for (let i = 0; i < 130; i++) await sandbox.control('POST', '/wabas', { businessId: business.body.id, name: `WABA ${i}` });
      const minted = await sandbox.control<{ access_token: string }>('POST', '/tokens', { businessId: business.body.id });
      const all = await sandbox.client().listOwnedWabas(minted.body.access_token, business.body.id);
      expect(all.data.map((w) => w.name)).toEqual(Array.from({ length: 130 }, (_, i) => `WABA ${i}`));

      await sandbox.control('PATCH', '/settings', { requireAppSecretProof: false });
      const firstPage = (await (
        await fetch(`${sandbox.baseUrl}/v25.0/${business.body.id}/owned_whatsapp_business_accounts?limit=100`, {
          headers: { authorization: `Bearer ${minted.body.access_token}` },
        })
      ).json()) as { data: unknown[]; paging: { next?: string } };
      expect(firstPage.data).toHaveLength(100);
      expect(firstPage.paging.next).toContain('after=');
      expect(firstPage.paging.next).not.toContain(minted.body.access_token);
    });

    it('hides WABAs outside the grant exactly like missing objects', async () => {
      const error = await failure<MetaGraphError>(sandbox.client().getWaba(token, wabaIdOf(sandbox, 'Northwind Clinics')));
      expect(error).toMatchObject({ kind: 'invalid', code: 100, subcode: 33 });
    });

    it('lists no businesses for a signup token without business_management', async () => {
      expect(await sandbox.client().listBusinesses(token)).toEqual({ data: [] });
      const minted = await sandbox.control<{ access_token: string }>('POST', '/tokens', {
        businessId: (await sandbox.client().getMe(token)).client_business_id,
      });
      expect((await sandbox.client().listBusinesses(minted.body.access_token)).data).toEqual([{ id: expect.any(String), name: 'Acme Bakery' }]);
    });
  });

  describe('appsecret_proof', () => {
    it('is sent by the client and required by the sandbox', async () => {
      const bare = await fetch(`${sandbox.baseUrl}/v25.0/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(bare.status).toBe(400);
      expect(((await bare.json()) as { error: { code: number } }).error.code).toBe(100);
      await expect(sandbox.client().getMe(token)).resolves.toHaveProperty('id');
      await expect(sandbox.client({ appSecret: 'wrong' }).getMe(token)).rejects.toMatchObject({ code: 100 });
    });
  });

  describe('error classification and retries', () => {
    it('classifies 190 with a subcode as a dead credential and does not retry', async () => {
      await fault({ endpoint: 'GET /me', count: 2, error: { code: 190, subcode: 463 } });
      const error = await failure<MetaGraphError>(sandbox.client().getMe(token));
      expect(error).toMatchObject({ kind: 'credential', code: 190, subcode: 463, httpStatus: 400, retryable: false });
      expect(error.fbtraceId).toEqual(expect.any(String));
      expect(await pendingFaults()).toMatchObject([{ remaining: 1 }]);
    });

    it('classifies 80007 on HTTP 400 as a rate limit and reads the wait from X-Business-Use-Case-Usage', async () => {
      const wabaId = wabaIdOf(sandbox, 'Acme Bakery');
      await fault({ endpoint: 'GET /{waba-id}/phone_numbers', error: { code: 80007, regainAccessMinutes: 12 } });
      const error = await failure<MetaGraphError>(sandbox.client().listPhoneNumbers(token, wabaId));
      expect(error).toMatchObject({ kind: 'rate_limited', code: 80007, httpStatus: 400, retryAfterMs: 12 * 60_000 });
      expect(sandbox.sleeps).toEqual([]); // rate limits are for the caller to schedule, not slept on
    });

    it('enforces the 200-calls-per-hour WABA limit with 80007 and the usage header', async () => {
      const globex = await businessToken(sandbox, 'Globex Travel');
      const wabaId = wabaIdOf(sandbox, 'Globex Travel');
      const call = () => fetch(`${sandbox.baseUrl}/v25.0/${wabaId}/phone_numbers`, { headers: { authorization: `Bearer ${globex}` } });
      await sandbox.control('PATCH', '/settings', { requireAppSecretProof: false });
      const first = await call();
      expect(JSON.parse(first.headers.get('x-business-use-case-usage') ?? '{}')[wabaId][0]).toMatchObject({
        type: 'whatsapp_business_management',
        call_count: 1,
      });
      for (let i = 1; i < 200; i++) expect((await call()).status).toBe(200);

      sandbox.clock.advance(20 * 60_000);
      const error = await failure<MetaGraphError>(sandbox.client().listPhoneNumbers(globex, wabaId));
      expect(error).toMatchObject({ kind: 'rate_limited', code: 80007, httpStatus: 400, retryAfterMs: 40 * 60_000 });
      sandbox.clock.advance(41 * 60_000);
      await expect(sandbox.client().listPhoneNumbers(globex, wabaId)).resolves.toEqual({ data: [] });
    });

    it('classifies app rate limit 4 as rate limited with a default wait', async () => {
      await fault({ endpoint: 'GET /me', error: { code: 4 } });
      await expect(sandbox.client().getMe(token)).rejects.toMatchObject({ kind: 'rate_limited', code: 4, retryAfterMs: 60_000 });
    });

    it('retries temporary errors with jittered backoff and then succeeds', async () => {
      await fault({ endpoint: 'GET /me', count: 2, error: { code: 2 } });
      await expect(sandbox.client().getMe(token)).resolves.toHaveProperty('id');
      expect(sandbox.sleeps).toEqual([125, 250]); // random 0.5 of 250 ms, then of 500 ms
    });

    it('gives up after maxRetries extra attempts', async () => {
      await fault({ endpoint: 'GET /me', count: 10, error: { code: 1 } });
      const error = await failure<MetaGraphError>(sandbox.client({ maxRetries: 3 }).getMe(token));
      expect(error).toMatchObject({ kind: 'temporary', code: 1, httpStatus: 500, retryable: true });
      expect(await pendingFaults()).toMatchObject([{ remaining: 6 }]);
      expect(sandbox.sleeps).toHaveLength(3);
    });

    it('treats a 5xx without a Graph body as temporary', async () => {
      await fault({ endpoint: 'GET /me', count: 5, error: { httpStatus: 502 } });
      const error = await failure<MetaGraphError>(sandbox.client().getMe(token));
      expect(error).toMatchObject({ kind: 'temporary', httpStatus: 502, code: undefined });
      expect(await pendingFaults()).toMatchObject([{ remaining: 2 }]);
    });

    it('retries a call that times out', async () => {
      await fault({ endpoint: 'GET /me', latencyMs: 400 });
      await expect(sandbox.client({ timeoutMs: 150 }).getMe(token)).resolves.toHaveProperty('id');
      expect(sandbox.sleeps).toHaveLength(1);
    });

    it('never retries invalid parameters', async () => {
      await fault({ endpoint: 'GET /me', count: 3, error: { code: 100, httpStatus: 500 } });
      await expect(sandbox.client().getMe(token)).rejects.toMatchObject({ kind: 'invalid', retryable: false });
      expect(await pendingFaults()).toMatchObject([{ remaining: 2 }]);
    });

    it('classifies a missing permission', async () => {
      const minted = await sandbox.control<{ access_token: string }>('POST', '/tokens', {
        businessId: (await sandbox.client().getMe(token)).client_business_id,
        scopes: ['whatsapp_business_management'],
      });
      const error = await failure<MetaGraphError>(sandbox.client().registerPhone(minted.body.access_token, phoneIdOf(sandbox, '+1 555-010-0142'), '123456'));
      expect(error).toMatchObject({ kind: 'permission', code: 200, retryable: false });
    });

    it('keeps secrets out of error messages', async () => {
      await fault({ endpoint: 'GET /debug_token', error: { code: 100, message: `bad ${token} ${'test-app-secret'}` } });
      const error = await failure<MetaGraphError>(sandbox.client().debugToken(token));
      expect(error.message).not.toContain(token);
      expect(error.message).not.toContain('test-app-secret');
      expect(error.message).toContain('[redacted]');
    });
  });

  it('builds a dialog URL the sandbox serves', async () => {
    const url = sandbox.client().dialogUrl({ redirectUri: 'https://app.example/cb', state: 'xyz', configId: 'sandbox-config-1' });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Acme Bakery');
    await grantConsent(sandbox, { flow: 'sdk' }); // a second consent still works after the first
  });
});
