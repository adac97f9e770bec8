import { MetaGraphClient, MetaGraphConfig, type GraphAttempt } from './meta-graph.client';
import { MetaGraphError } from './graph-errors';

const config: MetaGraphConfig = {
  graphBaseUrl: 'https://graph.facebook.com/',
  dialogBaseUrl: 'https://www.facebook.com',
  apiVersion: 'v25.0',
  appId: '111',
  appSecret: 'top-secret-app',
};

describe('MetaGraphClient.dialogUrl', () => {
  const client = new MetaGraphClient(config);

  it('builds the versioned dialog URL for a Login for Business configuration', () => {
    const url = new URL(client.dialogUrl({ redirectUri: 'https://app.example/cb?x=1', state: 's t', configId: 'cfg', extras: { setup: {} } }));
    expect(url.origin + url.pathname).toBe('https://www.facebook.com/v25.0/dialog/oauth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: '111',
      redirect_uri: 'https://app.example/cb?x=1',
      state: 's t',
      response_type: 'code',
      config_id: 'cfg',
      override_default_response_type: 'true',
      extras: '{"setup":{}}',
    });
  });

  it('sends comma-separated scopes when there is no configuration', () => {
    const url = new URL(client.dialogUrl({ redirectUri: 'https://a/cb', state: 's', scopes: ['a', 'b'] }));
    expect(url.searchParams.get('scope')).toBe('a,b');
    expect(url.searchParams.has('config_id')).toBe(false);
  });
});

describe('MetaGraphClient secrets', () => {
  it('keeps tokens and the app secret out of error messages', async () => {
    const token = 'EAAsecret-token-value';
    const fetchStub: typeof fetch = async () =>
      new Response(
        JSON.stringify({
          error: { message: `bad ${token} and top-secret-app`, type: 'OAuthException', code: 100, fbtrace_id: 'T' },
        }),
        { status: 400 },
      );
    const client = new MetaGraphClient(config, { fetch: fetchStub });
    const error = await client.getMe(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetaGraphError);
    expect((error as MetaGraphError).message).not.toContain(token);
    expect((error as MetaGraphError).message).not.toContain('top-secret-app');
    expect(JSON.stringify(error)).not.toContain(token);
  });
});

describe('MetaGraphClient.exchangeForLongLivedToken', () => {
  const urlsOf = async (options?: { expiresIn60Days?: boolean }) => {
    const urls: URL[] = [];
    const fetchStub: typeof fetch = async (input) => {
      urls.push(new URL(String(input)));
      return new Response(JSON.stringify({ access_token: 'EAAnew', token_type: 'bearer', expires_in: 5183944 }), { status: 200 });
    };
    await new MetaGraphClient(config, { fetch: fetchStub }).exchangeForLongLivedToken('EAAold', options);
    return urls[0];
  };

  it('asks for a 60-day token only when told to (system-user tokens)', async () => {
    const plain = await urlsOf();
    expect(plain.searchParams.get('grant_type')).toBe('fb_exchange_token');
    expect(plain.searchParams.has('set_token_expires_in_60_days')).toBe(false);
    const systemUser = await urlsOf({ expiresIn60Days: true });
    expect(systemUser.searchParams.get('set_token_expires_in_60_days')).toBe('true');
    expect(systemUser.searchParams.get('fb_exchange_token')).toBe('EAAold');
  });
});

describe('MetaGraphClient observer', () => {
  it('reports every attempt by path template, outcome and Meta code, never by id', async () => {
    const answers = [
      new Response(JSON.stringify({ error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2 } }), { status: 503 }),
      new Response(JSON.stringify({ data: [] }), { status: 200 }),
    ];
    const attempts: GraphAttempt[] = [];
    const client = new MetaGraphClient(config, { fetch: async () => answers.shift() as Response, sleep: async () => undefined, observe: (a) => attempts.push(a) });
    await client.listPhoneNumbers('EAAtoken', '410000000000123');
    expect(attempts.map(({ endpoint, outcome, code }) => ({ endpoint, outcome, code }))).toEqual([
      { endpoint: 'GET /{waba-id}/phone_numbers', outcome: 'temporary', code: 2 },
      { endpoint: 'GET /{waba-id}/phone_numbers', outcome: 'ok', code: undefined },
    ]);
    expect(JSON.stringify(attempts)).not.toContain('410000000000123');
  });
});
