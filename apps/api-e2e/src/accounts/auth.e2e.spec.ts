import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';
import { TestBrowser } from '@waba/testing';
import { createTenant } from '../support/tenants';

describe('sign-up, login, logout (real app, real database)', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('reports a healthy database', async () => {
    const response = await new TestBrowser(api.server).get('/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', database: { status: 'up' } });
  });

  it('signs up a tenant with its owner, keeps the session, logs out and back in', async () => {
    const tenant = await createTenant(api.server, 'Blue Bakery');
    expect(tenant.session.account.name).toBe('Blue Bakery');
    expect(tenant.session.user).toMatchObject({ email: tenant.email, role: 'owner' });
    expect(JSON.stringify(tenant.session)).not.toMatch(/password/i);

    const me = await tenant.browser.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.account.id).toBe(tenant.session.account.id);

    expect((await tenant.browser.post('/api/auth/logout')).status).toBe(204);
    expect((await tenant.browser.get('/api/auth/me')).status).toBe(401);

    // Logout leaves a fresh anonymous CSRF token, so the next login works without another GET.
    const login = await tenant.browser.post('/api/auth/login', { email: tenant.email.toUpperCase(), password: tenant.password });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(tenant.session.user.id);
    expect((await tenant.browser.get('/api/auth/me')).status).toBe(200);
  });

  it('sets the session as an httpOnly SameSite cookie', async () => {
    const browser = await new TestBrowser(api.server).visit();
    const response = await browser.post('/api/auth/signup', {
      accountName: 'Cookie Co',
      name: 'Cara',
      email: `cara-${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    const sessionCookie = (response.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('waba_session='));
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
  });

  it('refuses a second sign-up with the same email (any case) and leaves no tenant behind', async () => {
    const tenant = await createTenant(api.server);
    const browser = await new TestBrowser(api.server).visit();
    const again = await browser.post('/api/auth/signup', {
      accountName: 'Copycat',
      name: 'Copy',
      email: tenant.email.toUpperCase(),
      password: 'another long password',
    });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('An account with this email already exists');
    expect(browser.cookies.has('waba_session')).toBe(false);
  });

  it('explains invalid and unknown fields with 400', async () => {
    const browser = await new TestBrowser(api.server).visit();
    const response = await browser.post('/api/auth/signup', { accountName: '', name: 'X', email: 'not-an-email', password: 'short', isAdmin: true });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual(
      expect.arrayContaining(['accountName must not be empty', 'email must be a valid email address', 'password must be at least 10 characters long', 'isAdmin is not an allowed field']),
    );
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const browser = await new TestBrowser(api.server).visit();
    const token = browser.cookies.get('XSRF-TOKEN') ?? '';
    const response = await request(api.server).post('/api/auth/login').set('Cookie', `XSRF-TOKEN=${token}`).set('X-XSRF-TOKEN', token).set('Content-Type', 'application/json').send('{"email": ');
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/JSON/);
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const tenant = await createTenant(api.server);
    const browser = await new TestBrowser(api.server).visit();
    const wrong = await browser.post('/api/auth/login', { email: tenant.email, password: 'wrong password!' });
    const unknown = await browser.post('/api/auth/login', { email: 'nobody@example.com', password: 'wrong password!' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe('Email or password is incorrect');
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('denies every private route without a session', async () => {
    const browser = new TestBrowser(api.server);
    expect((await browser.get('/api/auth/me')).status).toBe(401);
    expect((await browser.get('/api/accounts/users')).status).toBe(401);
  });

  it('serves the OpenAPI docs', async () => {
    const response = await new TestBrowser(api.server).get('/api/docs-json');
    expect(response.status).toBe(200);
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/api/auth/signup', '/api/health']));
  });

  it('sends security headers', async () => {
    const response = await new TestBrowser(api.server).get('/api/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('never writes passwords, session tokens or CSRF tokens to the logs', async () => {
    const tenant = await createTenant(api.server);
    await tenant.browser.get('/api/auth/me');
    await tenant.browser.post('/api/auth/logout');
    expect(api.logs.lines.length).toBeGreaterThan(0);
    expect(api.logs.text).not.toContain(tenant.password);
    for (const secret of tenant.browser.cookies.values()) expect(api.logs.text).not.toContain(secret);
    // Request lines carry method, path and status only: no headers, so no cookies to redact.
    expect(api.logs.lines.some((line) => /"url":"\/api\/auth\/logout".*"res":\{"statusCode":204\}/.test(line))).toBe(true);
  });
});
