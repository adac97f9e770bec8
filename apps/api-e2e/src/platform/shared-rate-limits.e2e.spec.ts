import { isolatedRedisPrefix } from '../../../../tools/database/test-database';
import { startTestApp, type TestApp } from '../support/test-app';
import { TestBrowser } from '../support/test-browser';

/** Two instances behind one load balancer count sign-in attempts together, per client address. */
describe('rate limits shared between instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // Same database and Redis prefix: two instances of one deployment.
    const shared = { AUTH_RATE_LIMIT_PER_MINUTE: '4', REDIS_KEY_PREFIX: isolatedRedisPrefix('limits'), TRUST_PROXY: '1' };
    a = await startTestApp(shared);
    b = await startTestApp({ ...shared, MONGODB_URI: a.databaseUri });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const login = (app: TestApp, clientAddress: string) =>
    new TestBrowser(app.server).visit().then((browser) => browser.send('post', '/api/auth/login', { email: 'nobody@example.com', password: 'wrong password 123' }, { 'X-Forwarded-For': clientAddress }));

  it('answers 429 once one client address used the limit across both instances, and counts other addresses apart', async () => {
    const statuses = [];
    for (const app of [a, b, a, b]) statuses.push((await login(app, '203.0.113.7')).status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    const limited = await login(b, '203.0.113.7');
    expect(limited.status).toBe(429);
    expect((await login(a, '203.0.113.7')).status).toBe(429);
    // Behind the load balancer (TRUST_PROXY=1) another client is another address, not the proxy's.
    expect((await login(a, '198.51.100.20')).status).toBe(401);
  });
});
