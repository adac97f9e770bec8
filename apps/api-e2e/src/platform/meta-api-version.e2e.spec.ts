import type { HealthView } from '@waba/contracts';
import request from 'supertest';
import { Clock } from '@waba/api/common/clock/clock';
import { isolatedRedisPrefix, isolatedTestDatabaseUri, testRedisUrl } from '@waba/testing';
import { startApiProcess } from '../support/api-process';
import { waitUntil } from '../support/webhook-delivery';
import { startTestApp, type TestApp } from '../support/test-app';

// Meta retires a Graph API version two years after its successor: the app knows the dates
// (libs/meta-graph graph-versions.ts) and says so in /api/health (and in a warning at start), 90 days ahead.
describe('the configured Graph API version and its end of life', () => {
  const apps: TestApp[] = [];
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  async function healthOn(version: string, now?: string): Promise<{ api: TestApp; health: HealthView }> {
    const api = await startTestApp({ META_API_VERSION: version });
    apps.push(api);
    if (now) api.app.get(Clock).now = () => new Date(now);
    const response = await request(api.server).get('/api/health').expect(200);
    return { api, health: response.body as HealthView };
  }

  it('warns in /api/health when the version ends within 90 days, without calling the instance unhealthy', async () => {
    const { health } = await healthOn('v21.0', '2026-12-01T09:00:00Z');
    expect(health.status).toBe('ok');
    expect(health.metaApi).toMatchObject({ version: 'v21.0', state: 'ending_soon', availableUntil: '2027-01-21', daysLeft: 50, latest: 'v27.0' });
    expect(health.metaApi.message).toBe('Graph API v21.0 stops working on 2027-01-21, in 50 days. Move META_API_VERSION to v27.0 after checking its changelog.');
  });

  it('says when the version has been retired, and gives a current one its end date', async () => {
    const { health } = await healthOn('v20.0', '2026-12-01T09:00:00Z');
    expect(health.metaApi).toMatchObject({ state: 'ended', availableUntil: '2026-09-24', daysLeft: -69 });
    expect(health.metaApi.message).toContain('Graph API v20.0 stopped working on 2026-09-24');

    const { health: current } = await healthOn('v25.0', '2026-12-01T09:00:00Z');
    expect(current.metaApi).toMatchObject({ state: 'supported', availableUntil: '2028-07-29', daysLeft: 605 });
  });

  it('logs a warning when a process starts on a retired version, and none on a current one', async () => {
    const start = (version: string) =>
      startApiProcess('http', {
        MONGODB_URI: isolatedTestDatabaseUri('graph-version'),
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: isolatedRedisPrefix('graph-version'),
        TOKEN_ENCRYPTION_KEYS: `t:${Buffer.alloc(32, 4).toString('base64')}`,
        TOKEN_CHECK_ENABLED: 'false',
        SPA_DIR: 'does-not-exist',
        LOG_LEVEL: 'info',
        META_API_VERSION: version,
      });
    for (const [version, warned] of [
      ['v20.0', true],
      ['v25.0', false],
    ] as const) {
      const instance = await start(version);
      try {
        // v20.0 ended on 2026-09-24: true on any day this test can run; v25.0 works until 2028-07-29.
        const warning = `Graph API ${version} stopped working on 2026-09-24`;
        // The log is written asynchronously (a loaded machine shows lines late): wait for the
        // warning itself, or, where none is due, for a request's line logged after start-up.
        await fetch(`${instance.url}/api/auth/me`);
        await waitUntil(async () => instance.output().includes(warned ? warning : '/api/auth/me'), 15_000, warned ? 'the warning' : 'the request log line');
        expect(instance.output().includes(warning)).toBe(warned);
        expect(instance.output().includes('Graph API v25.0')).toBe(false);
      } finally {
        instance.child.kill('SIGKILL');
      }
    }
  });
});
