import type { CreatedInvitationView, SessionView } from '@waba/contracts';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { SmtpInbox } from '../support/smtp-inbox';
import { urlOf } from '../support/sockets';
import { startTestApp, type TestApp } from '../support/test-app';
import { TestBrowser } from '@waba/testing';
import { createTenant, createTwoTenants, type SignedInTenant } from '../support/tenants';

let counter = 0;
const newEmail = (name: string) => `${name}-${Date.now()}-${counter++}@example.com`;
const tokenOf = (invitation: CreatedInvitationView) => invitation.link.split('#')[1];

async function invite(owner: SignedInTenant, email: string, role: 'admin' | 'owner' = 'admin'): Promise<CreatedInvitationView> {
  const response = await owner.browser.post('/api/accounts/invitations', { email, role });
  if (response.status !== 201) throw new Error(`invitation failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as CreatedInvitationView;
}

async function accept(api: TestApp, token: string, name = 'Invited Person', password = 'my own password 1') {
  const browser = await new TestBrowser(api.server).visit();
  const response = await browser.post('/api/invitations/accept', { token, name, password });
  return { browser, response };
}

describe('invitations', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp({ PUBLIC_URL: 'http://localhost:4999' })));
  afterAll(() => api.close());

  it('an owner invites; the invitee sees the tenant, chooses name and password, is signed in, and the owner sees them', async () => {
    const owner = await createTenant(api.server, 'Invite Co');
    const email = newEmail('ada');
    const invitation = await invite(owner, email);
    expect(invitation).toMatchObject({ email, role: 'admin', invitedByName: 'Invite Co Owner', emailed: false });
    expect(invitation.link).toMatch(/^http:\/\/localhost:4999\/invite#[A-Za-z0-9_-]{40,}$/);
    expect(new Date(invitation.expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

    const pending = await owner.browser.get('/api/accounts/invitations');
    expect(pending.body).toEqual([expect.objectContaining({ id: invitation.id, email })]);
    expect(JSON.stringify(pending.body)).not.toContain(tokenOf(invitation));

    const anonymous = await new TestBrowser(api.server).visit();
    const preview = await anonymous.post('/api/invitations/preview', { token: tokenOf(invitation) });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ accountName: 'Invite Co', email, role: 'admin', invitedByName: 'Invite Co Owner' });

    const { browser, response } = await accept(api, tokenOf(invitation), 'Ada Lovelace');
    expect(response.status).toBe(201);
    const session = response.body as SessionView;
    expect(session.account.id).toBe(owner.session.account.id);
    expect(session.user).toMatchObject({ name: 'Ada Lovelace', email, role: 'admin' });
    expect((await browser.get('/api/auth/me')).body.user.email).toBe(email);

    const users = await owner.browser.get('/api/accounts/users');
    expect(users.body.map((u: { email: string }) => u.email)).toEqual([owner.email, email]);
    expect((await owner.browser.get('/api/accounts/invitations')).body).toEqual([]);

    // The password is theirs: it logs in; and an admin cannot invite.
    const again = await new TestBrowser(api.server).visit();
    expect((await again.post('/api/auth/login', { email, password: 'my own password 1' })).status).toBe(200);
    expect((await browser.post('/api/accounts/invitations', { email: newEmail('eve'), role: 'admin' })).status).toBe(403);
    const audit = await owner.browser.get('/api/audit-log');
    expect(audit.body.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['user.invited', 'invitation.accepted']));
  });

  it('works once: a used link explains itself and creates nobody', async () => {
    const owner = await createTenant(api.server);
    const invitation = await invite(owner, newEmail('once'));
    expect((await accept(api, tokenOf(invitation))).response.status).toBe(201);

    const reused = await accept(api, tokenOf(invitation), 'Someone Else', 'another password 1');
    expect(reused.response.status).toBe(410);
    expect(reused.response.body.message).toMatch(/already been used/);
    expect((await reused.browser.post('/api/invitations/preview', { token: tokenOf(invitation) })).body.message).toMatch(/already been used/);
    expect((await owner.browser.get('/api/accounts/users')).body).toHaveLength(2);
  });

  it('two tabs accepting the same link at once: exactly one user', async () => {
    const owner = await createTenant(api.server);
    const invitation = await invite(owner, newEmail('race'));
    // Listening first: supertest would otherwise open and close the server per request, and the
    // second of two simultaneous requests can meet the first one's close (ECONNRESET).
    urlOf(api.server);
    const results = await Promise.all([accept(api, tokenOf(invitation), 'Tab One'), accept(api, tokenOf(invitation), 'Tab Two')]);
    expect(results.map((r) => r.response.status).sort()).toEqual([201, 410]);
    expect((await owner.browser.get('/api/accounts/users')).body).toHaveLength(2);
  });

  it('a revoked link explains itself; revoking is for owners of that tenant only', async () => {
    const [a, b] = await createTwoTenants(api.server);
    const invitation = await invite(a, newEmail('revoked'));

    expect((await b.browser.delete(`/api/accounts/invitations/${invitation.id}`)).status).toBe(404);
    expect((await a.browser.delete(`/api/accounts/invitations/${invitation.id}`)).status).toBe(204);
    expect((await a.browser.get('/api/accounts/invitations')).body).toEqual([]);

    const { response } = await accept(api, tokenOf(invitation));
    expect(response.status).toBe(410);
    expect(response.body.message).toMatch(/withdrawn by the account owner/);
    expect((await a.browser.get('/api/audit-log')).body.map((e: { action: string }) => e.action)).toContain('invitation.revoked');
  });

  it('an expired link explains itself', async () => {
    const owner = await createTenant(api.server);
    const invitation = await invite(owner, newEmail('late'));
    const connection = api.app.get<Connection>(getConnectionToken());
    await connection.collection('invitations').updateOne({ email: invitation.email }, { $set: { expiresAt: new Date(Date.now() - 1000) } });

    const { response, browser } = await accept(api, tokenOf(invitation));
    expect(response.status).toBe(410);
    expect(response.body.message).toMatch(/expired on .*; ask the account owner for a new one/);
    expect((await browser.post('/api/invitations/preview', { token: tokenOf(invitation) })).status).toBe(410);
    expect((await owner.browser.get('/api/accounts/invitations')).body).toEqual([]);
  });

  it('an unknown or mangled token is a 404 that says so', async () => {
    const browser = await new TestBrowser(api.server).visit();
    const response = await browser.post('/api/invitations/preview', { token: 'not-a-real-token' });
    expect(response.status).toBe(404);
    expect(response.body.message).toMatch(/not valid/);
    expect((await browser.post('/api/invitations/accept', { token: 'x', name: 'A', password: 'long enough pw' })).status).toBe(404);
  });

  it('joins the inviting tenant only, whoever accepts, and an invitation from another tenant is not visible or revocable', async () => {
    const [a, b] = await createTwoTenants(api.server);
    const invitation = await invite(a, newEmail('tenant'));
    expect((await b.browser.get('/api/accounts/invitations')).body).toEqual([]);
    const { response } = await accept(api, tokenOf(invitation), 'Joiner');
    expect(response.status).toBe(201);
    expect(response.body.account.id).toBe(a.session.account.id);
    expect((await b.browser.get('/api/accounts/users')).body.map((u: { name: string }) => u.name)).not.toContain('Joiner');
    expect((await a.browser.get('/api/accounts/users')).body.map((u: { name: string }) => u.name)).toContain('Joiner');
  });

  it('refuses to invite an email that already has an account, and keeps the link from existing twice', async () => {
    const [a, b] = await createTwoTenants(api.server);
    const taken = await a.browser.post('/api/accounts/invitations', { email: b.email, role: 'admin' });
    expect(taken.status).toBe(409);
    expect(taken.body.message).toMatch(/already has a WABA Connect account/);

    const email = newEmail('twice');
    const first = await invite(a, email);
    const second = await invite(a, email);
    expect((await a.browser.get('/api/accounts/invitations')).body.map((i: { id: string }) => i.id)).toEqual([second.id]);
    expect((await accept(api, tokenOf(first))).response.body.message).toMatch(/withdrawn/);
    expect((await accept(api, tokenOf(second))).response.status).toBe(201);
  });

  it('validates the invitation and the chosen password', async () => {
    const owner = await createTenant(api.server);
    const bad = await owner.browser.post('/api/accounts/invitations', { email: 'nope', role: 'root' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual(expect.arrayContaining(['email must be a valid email address', 'role must be owner or admin']));
    const invitation = await invite(owner, newEmail('weak'));
    const weak = await accept(api, tokenOf(invitation), ' ', 'short');
    expect(weak.response.status).toBe(400);
    expect(weak.response.body.details).toEqual(expect.arrayContaining(['name must not be blank', 'password must be at least 10 characters long']));
    // A refused attempt does not use the link up.
    expect((await accept(api, tokenOf(invitation))).response.status).toBe(201);
  });

  it('the old add-admin-with-a-password route is gone', async () => {
    const owner = await createTenant(api.server);
    const response = await owner.browser.post('/api/accounts/users', { name: 'Ada', email: newEmail('old'), password: 'admin password 1' });
    expect(response.status).toBe(404);
  });
});

describe('invitation emails through a real SMTP server', () => {
  let api: TestApp;
  let inbox: SmtpInbox;
  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    api = await startTestApp({ SMTP_URL: inbox.url, SMTP_FROM: 'WABA Test <invites@waba.example>', PUBLIC_URL: 'http://localhost:4999' });
  });
  afterAll(async () => {
    await api.close();
    await inbox.close();
  });

  it('emails the link, which works, and keeps it out of the logs', async () => {
    const owner = await createTenant(api.server, 'Mail Co');
    const email = newEmail('mailed');
    const invitation = await invite(owner, email, 'owner');
    expect(invitation.emailed).toBe(true);

    expect(inbox.messages).toHaveLength(1);
    const [mail] = inbox.messages;
    expect(mail.from).toBe('invites@waba.example');
    expect(mail.to).toEqual([email]);
    expect(mail.text).toContain('Subject: Mail Co Owner invited you to Mail Co on WABA Connect');
    expect(mail.text).toContain(invitation.link);
    expect(mail.text).toMatch(/as an owner/);

    const link = /http:\/\/localhost:4999\/invite#([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] as string;
    const { response } = await accept(api, link, 'Mailed Owner');
    expect(response.status).toBe(201);
    expect(response.body.user.role).toBe('owner');
    expect(api.logs.text).not.toContain(link);
  });

  it('still creates the invitation, not emailed, when the SMTP server is gone', async () => {
    const down = await startTestApp({ SMTP_URL: 'smtp://127.0.0.1:1', MONGODB_URI: api.databaseUri });
    try {
      const owner = await createTenant(down.server);
      const invitation = await invite(owner, newEmail('unsent'));
      expect(invitation.emailed).toBe(false);
      expect(invitation.link).toContain('#');
      expect(down.logs.text).not.toContain(tokenOf(invitation));
    } finally {
      await down.close();
    }
  });
});
