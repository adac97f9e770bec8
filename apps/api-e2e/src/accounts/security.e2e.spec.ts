import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';
import { TestBrowser } from '@waba/testing';
import { addInvitedUser } from '../support/people';
import { createTenant, createTwoTenants } from '../support/tenants';

describe('CSRF protection', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close());

  it('refuses a state-changing call without the CSRF header', async () => {
    const tenant = await createTenant(api.server);
    const cookie = [...tenant.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await request(api.server).post('/api/auth/logout').set('Cookie', cookie);
    expect(response.status).toBe(403);
    expect((await tenant.browser.get('/api/auth/me')).status).toBe(200);
  });

  it('refuses a CSRF token that belongs to another session', async () => {
    const [a, b] = await createTwoTenants(api.server);
    // B's cookie jar but A's token in both cookie and header: passes double-submit, fails the session binding.
    b.browser.cookies.set('XSRF-TOKEN', a.browser.cookies.get('XSRF-TOKEN') ?? '');
    const response = await b.browser.post('/api/auth/logout');
    expect(response.status).toBe(403);
    expect(response.body.message).toMatch(/CSRF/);
  });

  it('refuses a login whose header does not match the cookie', async () => {
    const browser = await new TestBrowser(api.server).visit();
    const response = await browser.send('post', '/api/auth/login', { email: 'a@example.com', password: 'whatever12345' }, { 'X-XSRF-TOKEN': 'forged' });
    expect(response.status).toBe(403);
  });
});

describe('rate limiting of sign-up and login', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' })));
  afterAll(() => api.close());

  it('answers 429 after the limit', async () => {
    const browser = await new TestBrowser(api.server).visit();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await browser.post('/api/auth/login', { email: 'nobody@example.com', password: 'wrong password' })).status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });
});

describe('tenant isolation and roles', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close());

  it("tenant A cannot read tenant B's users", async () => {
    const [a, b] = await createTwoTenants(api.server);
    const usersOfA = await a.browser.get('/api/accounts/users');
    expect(usersOfA.status).toBe(200);
    expect(usersOfA.body.map((u: { email: string }) => u.email)).toEqual([a.email]);
    expect(JSON.stringify(usersOfA.body)).not.toContain(b.email);
    expect(JSON.stringify(usersOfA.body)).not.toMatch(/passwordHash/);
  });

  it('lets an owner invite an admin, who chooses a password, can log in, but cannot invite', async () => {
    const owner = await createTenant(api.server);
    const admin = await addInvitedUser(api.server, owner, 'admin', 'Ada');
    expect(admin.session.account.id).toBe(owner.session.account.id);

    const login = await new TestBrowser(api.server).visit();
    expect((await login.post('/api/auth/login', { email: admin.email, password: admin.password })).body.account.id).toBe(owner.session.account.id);
    const refused = await admin.browser.post('/api/accounts/invitations', { email: 'eve@example.com', role: 'admin' });
    expect(refused.status).toBe(403);
    expect((await owner.browser.get('/api/accounts/users')).body).toHaveLength(2);
  });

  it('no longer lets an owner choose a password for someone else', async () => {
    const owner = await createTenant(api.server);
    const response = await owner.browser.post('/api/accounts/users', { name: 'Ada', email: `ada-${Date.now()}@example.com`, password: 'admin password 1' });
    expect(response.status).toBe(404);
    expect((await owner.browser.get('/api/accounts/users')).body).toHaveLength(1);
  });
});
