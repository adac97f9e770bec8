import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTenant } from '../support/tenants';
import { TestBrowser } from '@waba/testing';

/** Hostile or broken input gets a clear 4xx, never a 500, a 404 or a dead process; the SPA is served, as in production. */
describe('bad input', () => {
  let api: TestApp;
  let spaDir: string;
  beforeAll(async () => {
    spaDir = mkdtempSync(join(tmpdir(), 'waba-spa-'));
    writeFileSync(join(spaDir, 'index.html'), '<!doctype html><title>SPA</title>');
    api = await startTestApp({ SPA_DIR: spaDir });
  });
  afterAll(async () => {
    await api.close();
    rmSync(spaDir, { recursive: true, force: true });
  });

  /** A raw JSON body, sent with a valid CSRF token as the SPA would. */
  const json = async (path: string, body: string) => {
    const csrf = (await new TestBrowser(api.server).visit()).cookies.get('XSRF-TOKEN') as string;
    return request(api.server).post(path).set('Content-Type', 'application/json').set('Cookie', `XSRF-TOKEN=${csrf}`).set('X-XSRF-TOKEN', csrf).send(body);
  };

  it('answers unparseable JSON with 400 and an oversized body with 413, not 404', async () => {
    const broken = await json('/api/auth/login', '{"email":');
    expect(broken.status).toBe(400);
    expect(broken.body.message).toBe('The request body is not valid JSON');
    expect((await json('/api/auth/login', JSON.stringify({ email: 'x'.repeat(200_000) }))).status).toBe(413);
    const webhook = await request(api.server).post('/api/webhooks/whatsapp').set('Content-Type', 'application/json').send('x'.repeat(3_200_000));
    expect(webhook.status).toBe(413);
    expect(webhook.body.message).toBe('The request body is too large');
  });

  it('refuses deeply nested JSON with 400 instead of overflowing the stack', async () => {
    const deepArray = `${'['.repeat(45_000)}${']'.repeat(45_000)}`;
    const refused = await json('/api/auth/login', deepArray);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/nested too deeply/);
    const deepField = `{"accountName":"x","name":"y","email":"deep@example.com","password":"long enough password","extra":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    expect((await json('/api/auth/signup', deepField)).status).toBe(400);
  });

  it('answers a j:-prefixed (JSON) session cookie with 401, not 500', async () => {
    const tenant = await createTenant(api.server);
    const cookies = [...tenant.browser.cookies].filter(([name]) => name !== 'waba_session').map(([k, v]) => `${k}=${v}`);
    const response = await request(api.server)
      .get('/api/auth/me')
      .set('Cookie', [...cookies, 'waba_session=j:%7B%22a%22%3A1%7D'].join('; '));
    expect(response.status).toBe(401);
  });

  it('refuses a blank name or account name with 400, and leaves the email free to sign up', async () => {
    const browser = await new TestBrowser(api.server).visit();
    const blank = await browser.post('/api/auth/signup', { accountName: '   ', name: ' \t ', email: 'blank@example.com', password: 'long enough password' });
    expect(blank.status).toBe(400);
    expect(blank.body.details).toEqual(expect.arrayContaining(['name must not be blank', 'accountName must not be blank']));
    expect((await browser.post('/api/auth/signup', { accountName: 'Real', name: 'Real Name', email: 'blank@example.com', password: 'long enough password' })).status).toBe(201);
  });

  it('refuses text that is not valid Unicode (a lone surrogate) with 400', async () => {
    const response = await json('/api/auth/login', '{"email":"a\\ud800@example.com","password":"long enough password"}');
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/not valid Unicode/);
  });

  it('refuses a page number beyond any real history with 400', async () => {
    const tenant = await createTenant(api.server);
    const response = await tenant.browser.get('/api/events?page=99999999999999999999');
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/page must be between 1 and 10000/);
  });

  it('refuses a socket whose session cookie is not valid percent-encoding, and keeps running', async () => {
    const server = api.server.listening ? api.server : api.server.listen(0);
    const { port } = server.address() as AddressInfo;
    const socket = io(`http://127.0.0.1:${port}`, { path: '/socket.io', transports: ['websocket'], extraHeaders: { Cookie: 'waba_session=%' } });
    const outcome = await new Promise<string>((resolve) => socket.on('unauthorized', () => resolve('unauthorized')).on('connect_error', () => resolve('refused')));
    socket.close();
    expect(outcome).toMatch(/unauthorized|refused/);
    expect((await request(api.server).get('/api/health')).status).toBe(200);
  });
});
