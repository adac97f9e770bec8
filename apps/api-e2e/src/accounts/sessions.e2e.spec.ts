import { getConnectionToken } from '@nestjs/mongoose';
import type { TenantRealtimeEvent } from '@waba/contracts';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { ApiConfig } from '@waba/api/config/api-config';
import { RealtimePublisher } from '@waba/api/realtime/realtime-publisher';
import { closedWithin, openSocket, type LiveSocket } from '../support/sockets';
import { startTestApp, type TestApp } from '../support/test-app';
import { TestBrowser } from '@waba/testing';
import { createTenant } from '../support/tenants';

const ping: TenantRealtimeEvent = { type: 'whatsapp.changed', reason: 'test' };

async function receives(api: TestApp, accountId: string, socket: LiveSocket): Promise<boolean> {
  const before = socket.events.length;
  api.app.get(RealtimePublisher).publish(accountId, ping);
  const until = Date.now() + 1500;
  while (Date.now() < until) {
    if (socket.events.length > before) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

describe('sockets end with their session', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close());

  it('logout closes the sockets of that session only; another session of the same user keeps its socket', async () => {
    const tenant = await createTenant(api.server);
    const other = await new TestBrowser(api.server).visit();
    await other.post('/api/auth/login', { email: tenant.email, password: tenant.password });
    const socket = await openSocket(api.server, tenant.browser);
    const otherSocket = await openSocket(api.server, other);
    try {
      expect(await receives(api, tenant.session.account.id, socket)).toBe(true);
      expect((await tenant.browser.post('/api/auth/logout')).status).toBe(204);
      expect(await closedWithin(socket, 3000)).toBe('closed');
      expect(await receives(api, tenant.session.account.id, otherSocket)).toBe(true);
      expect(socket.events.filter((e) => e.type === 'whatsapp.changed')).toHaveLength(1);
    } finally {
      socket.close();
      otherSocket.close();
    }
  });

  it('an expiring session closes its socket at its expiry time', async () => {
    const tenant = await createTenant(api.server);
    const connection = api.app.get<Connection>(getConnectionToken());
    await connection.collection('sessions').updateOne({ userId: new Types.ObjectId(tenant.session.user.id) }, { $set: { expiresAt: new Date(Date.now() + 1500) } });
    const socket = await openSocket(api.server, tenant.browser);
    try {
      expect(await receives(api, tenant.session.account.id, socket)).toBe(true);
      expect(await closedWithin(socket, 4000)).toBe('closed');
      expect((await tenant.browser.get('/api/auth/me')).status).toBe(401);
    } finally {
      socket.close();
    }
  });

  it('a password change needs the current password, ends every other session and its sockets, and keeps this one', async () => {
    const tenant = await createTenant(api.server);
    const other = await new TestBrowser(api.server).visit();
    await other.post('/api/auth/login', { email: tenant.email, password: tenant.password });
    const mine = await openSocket(api.server, tenant.browser);
    const theirs = await openSocket(api.server, other);
    try {
      const wrong = await tenant.browser.post('/api/auth/password', { currentPassword: 'not my password', newPassword: 'a brand new password' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.message).toMatch(/current password is not correct/);
      const weak = await tenant.browser.post('/api/auth/password', { currentPassword: tenant.password, newPassword: 'short' });
      expect(weak.status).toBe(400);
      expect((await other.get('/api/auth/me')).status).toBe(200);

      expect((await tenant.browser.post('/api/auth/password', { currentPassword: tenant.password, newPassword: 'a brand new password' })).status).toBe(204);
      expect(await closedWithin(theirs, 3000)).toBe('closed');
      expect((await other.get('/api/auth/me')).status).toBe(401);
      expect((await tenant.browser.get('/api/auth/me')).status).toBe(200);
      expect(await receives(api, tenant.session.account.id, mine)).toBe(true);

      const fresh = await new TestBrowser(api.server).visit();
      expect((await fresh.post('/api/auth/login', { email: tenant.email, password: tenant.password })).status).toBe(401);
      expect((await fresh.post('/api/auth/login', { email: tenant.email, password: 'a brand new password' })).status).toBe(200);
    } finally {
      mine.close();
      theirs.close();
    }
  });

  it('refuses a socket for a session that has ended', async () => {
    const tenant = await createTenant(api.server);
    const stale = new TestBrowser(api.server);
    for (const [name, value] of tenant.browser.cookies) stale.cookies.set(name, value);
    await tenant.browser.post('/api/auth/logout');
    await expect(openSocket(api.server, stale)).rejects.toThrow();
  });
});

describe('sockets end across instances', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await startTestApp();
    // Another http instance of the same deployment: same database, same Redis prefix.
    second = await startTestApp({ MONGODB_URI: first.databaseUri, REDIS_KEY_PREFIX: first.app.get(ApiConfig).REDIS_KEY_PREFIX });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('logging out through one instance closes the socket held by the other', async () => {
    const tenant = await createTenant(first.server);
    const socket = await openSocket(second.server, tenant.browser);
    try {
      expect(await receives(first, tenant.session.account.id, socket)).toBe(true);
      expect((await tenant.browser.post('/api/auth/logout')).status).toBe(204);
      expect(await closedWithin(socket, 3000)).toBe('closed');
    } finally {
      socket.close();
    }
  });
});
