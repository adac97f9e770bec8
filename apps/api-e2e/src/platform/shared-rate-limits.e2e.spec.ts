import { isolatedRedisPrefix, TestBrowser } from '@waba/testing';
import { startTestApp, type TestApp } from '../support/test-app';

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
    new TestBrowser(app.server)
      .visit()
      .then((browser) => browser.send('post', '/api/auth/login', { email: 'nobody@example.com', password: 'wrong password 123' }, { 'X-Forwarded-For': clientAddress }));

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

  it('slows sign-in attempts on one account from many addresses, without locking out another account', async () => {
    const sprayed = await startTestApp({ LOGIN_ATTEMPTS_PER_ACCOUNT_PER_15_MINUTES: '3', TRUST_PROXY: '1', REDIS_KEY_PREFIX: isolatedRedisPrefix('spray'), MONGODB_URI: a.databaseUri });
    try {
      const attempt = (email: string, address: string) =>
        new TestBrowser(sprayed.server).visit().then((browser) => browser.send('post', '/api/auth/login', { email, password: 'wrong password 123' }, { 'X-Forwarded-For': address }));
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await attempt('target@example.com', `203.0.113.${10 + i}`)).status);
      expect(statuses).toEqual([401, 401, 401]);
      const slowed = await attempt('TARGET@example.com', '203.0.113.99');
      expect(slowed.status).toBe(429);
      expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
      expect(slowed.body.message).toMatch(/^Too many sign-in attempts for this account\. Try again in \d+ minutes\.$/);
      expect((await attempt('someone-else@example.com', '203.0.113.99')).status).toBe(401);
    } finally {
      await sprayed.close();
    }
  });
});
