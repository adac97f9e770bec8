import { loadApiConfig } from './api-config';

const REQUIRED = { MONGODB_URI: 'mongodb://localhost/x', REDIS_URL: 'redis://localhost:6390', TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };

describe('loadApiConfig', () => {
  it('applies defaults and converts numbers', () => {
    const config = loadApiConfig({ ...REQUIRED, API_PORT: '4000' });
    expect(config.API_PORT).toBe(4000);
    expect(config.SESSION_TTL_HOURS).toBe(12);
    expect(config.publicUrl).toBe('http://localhost:4000');
    expect(config.secureCookies).toBe(false);
  });

  it('names every missing or invalid setting in one error', () => {
    expect(() => loadApiConfig({ API_PORT: 'abc', LOG_LEVEL: 'loud' })).toThrow(/MONGODB_URI is required.*|API_PORT must be an integer/);
    try {
      loadApiConfig({ API_PORT: 'abc', LOG_LEVEL: 'loud' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('MONGODB_URI is required');
      expect(message).toContain('API_PORT must be an integer');
      expect(message).toContain('LOG_LEVEL must be one of');
    }
  });

  it('lowers a worker by nice 10 unless told, and takes only a nice value 0-19', () => {
    expect(loadApiConfig(REQUIRED).WORKER_NICE).toBe(10);
    expect(loadApiConfig({ ...REQUIRED, WORKER_NICE: '0' }).WORKER_NICE).toBe(0);
    for (const wrong of ['20', '-1', 'low']) expect(() => loadApiConfig({ ...REQUIRED, WORKER_NICE: wrong })).toThrow(/WORKER_NICE must be an integer from 0 to 19/);
  });

  it('uses secure cookies behind an https public URL', () => {
    const config = loadApiConfig({ ...REQUIRED, PUBLIC_URL: 'https://app.example.com/' });
    expect(config.publicUrl).toBe('https://app.example.com');
    expect(config.secureCookies).toBe(true);
  });

  it('keeps metrics off the public port unless told, and wants a metrics port of its own', () => {
    const plain = loadApiConfig(REQUIRED);
    expect(plain.METRICS_PORT).toBeUndefined();
    expect(plain.METRICS_ON_PUBLIC_PORT).toBe(false);
    const set = loadApiConfig({ ...REQUIRED, METRICS_PORT: '9464', METRICS_ON_PUBLIC_PORT: 'true' });
    expect(set.METRICS_PORT).toBe(9464);
    expect(set.METRICS_ON_PUBLIC_PORT).toBe(true);
    expect(() => loadApiConfig({ ...REQUIRED, METRICS_PORT: '70000' })).toThrow(/METRICS_PORT must be between 1 and 65535/);
    expect(() => loadApiConfig({ ...REQUIRED, METRICS_PORT: '3000' })).toThrow(/METRICS_PORT must differ from API_PORT/);
    expect(() => loadApiConfig({ ...REQUIRED, METRICS_ON_PUBLIC_PORT: 'maybe' })).toThrow(/METRICS_ON_PUBLIC_PORT must be true or false/);
    expect(loadApiConfig(REQUIRED).SHUTDOWN_DELAY_MS).toBe(0);
    expect(() => loadApiConfig({ ...REQUIRED, SHUTDOWN_DELAY_MS: '600000' })).toThrow(/SHUTDOWN_DELAY_MS must be at most 120000/);
  });

  it('checks the encryption keys', () => {
    expect(() => loadApiConfig({ ...REQUIRED, TOKEN_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toThrow(/key "k1" must be 32 bytes/);
    expect(() => loadApiConfig({ ...REQUIRED, TOKEN_ENCRYPTION_ACTIVE_KEY: 'k9' })).toThrow(/"k9" is not one of TOKEN_ENCRYPTION_KEYS/);
    const twice = `k1:${Buffer.alloc(32, 1).toString('base64')},k1:${Buffer.alloc(32, 2).toString('base64')}`;
    expect(() => loadApiConfig({ ...REQUIRED, TOKEN_ENCRYPTION_KEYS: twice })).toThrow(/key id "k1" appears more than once/);
  });

  it('refuses a public URL that is not absolute', () => {
    expect(() => loadApiConfig({ ...REQUIRED, PUBLIC_URL: 'app.example.com' })).toThrow(/PUBLIC_URL must be an absolute/);
  });

  it('knows which roles a process plays and how to trust a proxy', () => {
    expect(loadApiConfig(REQUIRED)).toMatchObject({ servesHttp: true, runsJobs: true, trustProxy: undefined });
    expect(loadApiConfig({ ...REQUIRED, INSTANCE_ROLE: 'worker' })).toMatchObject({ servesHttp: false, runsJobs: true });
    expect(loadApiConfig({ ...REQUIRED, INSTANCE_ROLE: 'http', TRUST_PROXY: '2' })).toMatchObject({ servesHttp: true, runsJobs: false, trustProxy: 2 });
    expect(() => loadApiConfig({ ...REQUIRED, INSTANCE_ROLE: 'both' })).toThrow(/INSTANCE_ROLE must be http, worker or all/);
    expect(() => loadApiConfig({ ...REQUIRED, REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL must start with redis:\/\//);
    expect(() => loadApiConfig({ MONGODB_URI: REQUIRED.MONGODB_URI, TOKEN_ENCRYPTION_KEYS: REQUIRED.TOKEN_ENCRYPTION_KEYS })).toThrow(/REDIS_URL is required/);
  });

  it('refuses to start in live mode on sandbox settings, naming each problem', () => {
    let message = '';
    try {
      loadApiConfig({ ...REQUIRED, META_MODE: 'live', META_APP_SECRET: 'sandbox-app-secret', META_GRAPH_URL: 'http://localhost:4100', PUBLIC_URL: 'https://app.example.com' });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const expected of [
      'META_APP_ID is required when META_MODE=live',
      'META_CONFIG_ID is required when META_MODE=live',
      'META_WEBHOOK_VERIFY_TOKEN is required when META_MODE=live',
      'META_DIALOG_URL is required when META_MODE=live',
      'META_SDK_URL is required when META_MODE=live',
      'META_GRAPH_URL must be an https URL when META_MODE=live',
      "META_APP_SECRET must not be the sandbox's public value when META_MODE=live",
    ]) {
      expect(message).toContain(expected);
    }
    expect(message).not.toContain('PUBLIC_URL');
  });

  it('starts in live mode when every Meta setting is given over https', () => {
    const config = loadApiConfig({
      ...REQUIRED,
      META_MODE: 'live',
      META_APP_ID: '123456789012345',
      META_APP_SECRET: 'a-real-secret-from-the-app-dashboard',
      META_CONFIG_ID: '987654321',
      META_WEBHOOK_VERIFY_TOKEN: 'a-long-random-verify-token',
      META_GRAPH_URL: 'https://graph.facebook.com',
      META_DIALOG_URL: 'https://www.facebook.com',
      META_SDK_URL: 'https://connect.facebook.net/en_US/sdk.js',
      PUBLIC_URL: 'https://app.example.com',
    });
    expect(config.META_MODE).toBe('live');
    expect(config.secureCookies).toBe(true);
  });
});
