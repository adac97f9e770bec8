import type { TenantRealtimeEvent } from '@waba/contracts';
import { RealtimePublisher } from '@waba/api/realtime/realtime-publisher';
import { addInvitedUser } from '../support/people';
import { closedWithin, openSocket } from '../support/sockets';
import { startTestApp, type TestApp } from '../support/test-app';
import { TestBrowser } from '@waba/testing';
import { createTenant, createTwoTenants } from '../support/tenants';

const ping: TenantRealtimeEvent = { type: 'whatsapp.changed', reason: 'test' };

describe('roles and removal of users', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close());

  it("an owner changes a user's role; it applies to that user's next request", async () => {
    const owner = await createTenant(api.server);
    const admin = await addInvitedUser(api.server, owner);
    expect((await admin.browser.get('/api/accounts/invitations')).status).toBe(403);

    const promoted = await owner.browser.patch(`/api/accounts/users/${admin.session.user.id}`, { role: 'owner' });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe('owner');
    expect((await admin.browser.get('/api/accounts/invitations')).status).toBe(200);
    expect((await admin.browser.get('/api/auth/me')).body.user.role).toBe('owner');

    const demoted = await admin.browser.patch(`/api/accounts/users/${admin.session.user.id}`, { role: 'admin' });
    expect(demoted.status).toBe(200);
    expect((await admin.browser.get('/api/accounts/invitations')).status).toBe(403);
    expect((await owner.browser.get('/api/audit-log')).body.map((e: { action: string }) => e.action)).toContain('user.role_changed');
  });

  it('admins cannot change roles or remove anyone', async () => {
    const owner = await createTenant(api.server);
    const admin = await addInvitedUser(api.server, owner);
    expect((await admin.browser.patch(`/api/accounts/users/${admin.session.user.id}`, { role: 'owner' })).status).toBe(403);
    expect((await admin.browser.delete(`/api/accounts/users/${owner.session.user.id}`)).status).toBe(403);
  });

  it('the last owner can be neither demoted nor removed; with a second owner, both work', async () => {
    const owner = await createTenant(api.server);
    const ownId = owner.session.user.id;
    const demote = await owner.browser.patch(`/api/accounts/users/${ownId}`, { role: 'admin' });
    expect(demote.status).toBe(409);
    expect(demote.body.message).toMatch(/needs an owner/);
    const remove = await owner.browser.delete(`/api/accounts/users/${ownId}`);
    expect(remove.status).toBe(409);
    expect((await owner.browser.get('/api/auth/me')).body.user.role).toBe('owner');

    const second = await addInvitedUser(api.server, owner, 'owner');
    expect((await owner.browser.patch(`/api/accounts/users/${ownId}`, { role: 'admin' })).status).toBe(200);
    // Now `second` is the last owner.
    expect((await second.browser.delete(`/api/accounts/users/${second.session.user.id}`)).status).toBe(409);
    expect((await second.browser.delete(`/api/accounts/users/${ownId}`)).status).toBe(204);
    expect((await second.browser.get('/api/accounts/users')).body.map((u: { id: string }) => u.id)).toEqual([second.session.user.id]);
  });

  it('two owners demoting each other at the same time leave at least one owner', async () => {
    const owner = await createTenant(api.server);
    const second = await addInvitedUser(api.server, owner, 'owner');
    await Promise.all([
      owner.browser.patch(`/api/accounts/users/${second.session.user.id}`, { role: 'admin' }),
      second.browser.patch(`/api/accounts/users/${owner.session.user.id}`, { role: 'admin' }),
    ]);
    const roles = (await owner.browser.get('/api/accounts/users')).body.map((u: { role: string }) => u.role);
    expect(roles).toContain('owner');
  });

  it('cannot touch users of another tenant', async () => {
    const [a, b] = await createTwoTenants(api.server);
    const adminOfA = await addInvitedUser(api.server, a);
    expect((await b.browser.patch(`/api/accounts/users/${adminOfA.session.user.id}`, { role: 'owner' })).status).toBe(404);
    expect((await b.browser.delete(`/api/accounts/users/${adminOfA.session.user.id}`)).status).toBe(404);
    expect((await b.browser.delete('/api/accounts/users/not-an-id')).status).toBe(404);
    expect((await adminOfA.browser.get('/api/auth/me')).status).toBe(200);
  });

  it('removing a user ends their sessions and closes their sockets at once; they cannot log in again', async () => {
    const owner = await createTenant(api.server);
    const admin = await addInvitedUser(api.server, owner);
    const secondBrowser = await new TestBrowser(api.server).visit();
    await secondBrowser.post('/api/auth/login', { email: admin.email, password: admin.password });
    const socket = await openSocket(api.server, admin.browser);
    const ownerSocket = await openSocket(api.server, owner.browser);
    try {
      expect((await owner.browser.delete(`/api/accounts/users/${admin.session.user.id}`)).status).toBe(204);
      expect(await closedWithin(socket, 3000)).toBe('closed');
      expect((await admin.browser.get('/api/auth/me')).status).toBe(401);
      expect((await secondBrowser.get('/api/auth/me')).status).toBe(401);
      const again = await new TestBrowser(api.server).visit();
      expect((await again.post('/api/auth/login', { email: admin.email, password: admin.password })).status).toBe(401);

      // The rest of the tenant keeps its socket and its events.
      api.app.get(RealtimePublisher).publish(owner.session.account.id, ping);
      await waitFor(() => ownerSocket.events.length > 0);
      expect(ownerSocket.socket.connected).toBe(true);
      expect((await owner.browser.get('/api/audit-log')).body.map((e: { action: string }) => e.action)).toContain('user.removed');
    } finally {
      socket.close();
      ownerSocket.close();
    }
  });
});

async function waitFor(condition: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
