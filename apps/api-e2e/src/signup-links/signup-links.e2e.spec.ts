import { getQueueToken } from '@nestjs/bullmq';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Queue } from 'bullmq';
import type { AuditEntryView, CreatedSignupLinkView, SignupLinkPublicView, SignupLinkView, WhatsAppStatusView } from '@waba/contracts';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { createHash, randomBytes } from 'node:crypto';
import { embeddedSignup, phoneIdOf, type Sandbox } from '../support/meta-sandbox';
import { openSocket } from '../support/sockets';
import { useApiWithSandbox } from '../support/suite';
import { createTenant, createTwoTenants, type SignedInTenant } from '../support/tenants';
import { TestBrowser } from '@waba/testing';
import type { TestApp } from '../support/test-app';

const PER_LINK_LIMIT = 12;

describe('Onboarding by signup link (API + Meta sandbox)', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  const tokens: string[] = [];
  const seen: string[] = [];

  useApiWithSandbox((running) => ({ api, sandbox } = running), { SIGNUP_LINK_REQUESTS_PER_ADDRESS_PER_MINUTE: '10000', SIGNUP_LINK_REQUESTS_PER_LINK_PER_MINUTE: String(PER_LINK_LIMIT) });

  async function createLink(admin: SignedInTenant, body: object = { expiresIn: '24h', holderPicks: false, note: 'Maria' }): Promise<{ link: CreatedSignupLinkView; token: string }> {
    const response = await admin.browser.post('/api/signup-links', body);
    expect(response.status).toBe(201);
    const link = response.body as CreatedSignupLinkView;
    const token = new URL(link.link).hash.slice(1);
    tokens.push(token);
    return { link, token };
  }

  /** The link holder: a fresh browser with no account. */
  async function holder(): Promise<TestBrowser> {
    return new TestBrowser(api.server).visit();
  }

  async function holderPost(browser: TestBrowser, path: string, body: object) {
    const response = await browser.post(`/api/signup-links/holder/${path}`, body);
    seen.push(JSON.stringify(response.body));
    return response;
  }

  async function linksOf(admin: SignedInTenant): Promise<SignupLinkView[]> {
    const response = await admin.browser.get('/api/signup-links');
    seen.push(JSON.stringify(response.body));
    return response.body as SignupLinkView[];
  }

  afterAll(() => {
    // The token leaves the API once, in the answer that created the link: never in a log, a list or a public answer.
    for (const token of tokens) {
      expect(api.logs.text).not.toContain(token);
      for (const text of seen) expect(text).not.toContain(token);
    }
  });

  it('created: the admin sees it in the list, without the token, and only the token’s hash is stored', async () => {
    const admin = await createTenant(api.server, 'Acme');
    const { link, token } = await createLink(admin);
    expect(link).toMatchObject({ state: 'created', stateLabel: 'Not opened yet', note: 'Maria', holderPicks: false, createdByName: 'Acme Owner' });
    expect(link.link).toBe(`http://localhost:3999/signup-link#${token}`);
    const [listed] = await linksOf(admin);
    expect(listed.id).toBe(link.id);
    expect(JSON.stringify(listed)).not.toContain(token);
    const stored = await api.app
      .get<Connection>(getConnectionToken())
      .collection('signup_links')
      .findOne({ _id: new Types.ObjectId(link.id) });
    expect(stored?.['tokenHash']).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('refuses an expiry outside the short list, in words', async () => {
    const admin = await createTenant(api.server);
    const response = await admin.browser.post('/api/signup-links', { expiresIn: '30d', holderPicks: false });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/expiresIn must be one of 1h, 24h, 72h, 7d/);
  });

  it('opened: the holder without an account sees who invites them and what is shared; the admin sees it live', async () => {
    const admin = await createTenant(api.server, 'Acme');
    const socket = await openSocket(api.server, admin.browser);
    const { link, token } = await createLink(admin);
    const opened = await holderPost(await holder(), 'open', { token });
    expect(opened.status).toBe(200);
    const view = opened.body as SignupLinkPublicView;
    expect(view).toMatchObject({ accountName: 'Acme', invitedByName: 'Acme Owner', state: 'opened', holderPicks: false, session: null });
    expect(view.embeddedSignup?.messageOrigin).toBe(new URL(sandbox.baseUrl).origin);
    expect(view.shares.length).toBeGreaterThan(1);
    const states = () => socket.events.filter((e) => e.type === 'signup-link.updated').map((e) => (e as { link: SignupLinkView }).link.state);
    for (let waited = 0; states().length < 2 && waited < 3000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(states()).toEqual(['created', 'opened']);
    socket.close();
    expect(JSON.stringify(socket.events)).not.toContain(token);
    expect((await linksOf(admin))[0]).toMatchObject({ id: link.id, state: 'opened' });
  });

  it('cancelled and failed: the admin sees at which step and with which error; the link still works', async () => {
    const admin = await createTenant(api.server);
    const { token } = await createLink(admin);
    const browser = await holder();
    await holderPost(browser, 'open', { token });
    expect((await holderPost(browser, 'progress', { token, step: 'consent_started' })).status).toBe(200);
    const cancelled = await holderPost(browser, 'progress', { token, step: 'cancelled', currentStep: 'WABA_PHONE_PROFILE_PICKER' });
    expect(cancelled.body.message).toContain('“waba phone profile picker” step');
    let [link] = await linksOf(admin);
    expect(link).toMatchObject({ state: 'cancelled', cancelledAtStep: 'waba phone profile picker' });
    await holderPost(browser, 'progress', { token, step: 'failed', errorMessage: 'Business already linked to Embedded Signup', errorCode: '2388042', metaSessionId: 's-1' });
    [link] = await linksOf(admin);
    expect(link).toMatchObject({ state: 'failed', lastError: { message: 'Business already linked to Embedded Signup', code: '2388042', metaSessionId: 's-1' } });
    expect(link.progress.map((p) => p.step)).toEqual(['created', 'opened', 'consent_started', 'cancelled', 'failed']);
    expect((await holderPost(browser, 'open', { token })).status).toBe(200);
  });

  it('used: the holder’s consent opens the picker for the admin, who connects the numbers; the link then explains itself', async () => {
    const admin = await createTenant(api.server, 'Acme');
    const { link, token } = await createLink(admin);
    const browser = await holder();
    await holderPost(browser, 'open', { token });
    const { code, wabaId } = await embeddedSignup(sandbox, 'Acme Bakery');
    const finished = await holderPost(browser, 'finish', { token, code, sessionInfo: { event: 'FINISH', wabaId } });
    expect(finished.status).toBe(200);
    expect(finished.body).toMatchObject({ state: 'finished', session: null, embeddedSignup: null });
    expect(finished.body.message).toContain('Acme Owner at Acme now chooses');

    const [listed] = await linksOf(admin);
    expect(listed).toMatchObject({ id: link.id, state: 'finished', stateLabel: 'Pick the numbers' });
    const sessionId = listed.onboardingSessionId as string;
    const main = phoneIdOf(sandbox, '+1 555-010-0199');
    const confirm = await admin.browser.post(`/api/integrations/whatsapp/onboarding/${sessionId}/confirm`, { phoneNumberIds: [main] });
    expect(confirm.body.status).toBe('completed');
    const status = (await admin.browser.get('/api/integrations/whatsapp/oauth/status')).body as WhatsAppStatusView;
    expect(status.wabas.flatMap((w) => w.numbers).map((n) => `${n.displayPhone} ${n.state}`)).toEqual(['+1 555-010-0199 connected']);
    expect((await linksOf(admin))[0].state).toBe('connected');

    const again = await holderPost(await holder(), 'open', { token });
    expect(again.status).toBe(410);
    expect(again.body.message).toMatch(/already used on .* works only once\. Ask Acme Owner at Acme for a new link/);
    const replay = await holderPost(browser, 'finish', { token, code: 'another-code', sessionInfo: { event: 'FINISH', wabaId } });
    expect(replay.status).toBe(410);

    const audit = (await admin.browser.get('/api/audit-log')).body as AuditEntryView[];
    const actions = audit.map((e) => e.action);
    for (const action of ['signup_link.created', 'signup_link.opened', 'signup_link.finished', 'signup_link.refused', 'whatsapp.consent', 'onboarding.confirmed']) expect(actions).toContain(action);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('used, holder picks: the holder connects the numbers themselves when the admin allowed it', async () => {
    const admin = await createTenant(api.server, 'Acme');
    const { token } = await createLink(admin, { expiresIn: '1h', holderPicks: true });
    const browser = await holder();
    const { code, wabaId } = await embeddedSignup(sandbox, 'Acme Bakery');
    const finished = await holderPost(browser, 'finish', { token, code, sessionInfo: { event: 'FINISH', wabaId } });
    expect(finished.body.session.wabas.flatMap((w: { numbers: unknown[] }) => w.numbers)).toHaveLength(3);
    // A reload of the holder's page still shows the numbers to pick.
    expect((await holderPost(browser, 'open', { token })).body.session.id).toBe(finished.body.session.id);
    const confirmed = await holderPost(browser, 'confirm', { token, phoneNumberIds: [phoneIdOf(sandbox, '+1 555-010-0177')] });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.state).toBe('connected');
    const [link] = await linksOf(admin);
    expect(link.state).toBe('connected');
    expect(link.progress.at(-1)).toMatchObject({ step: 'connected', detail: '+1 555-010-0177: connected' });
  });

  it('a link whose admin picks refuses the holder’s pick', async () => {
    const admin = await createTenant(api.server);
    const { token } = await createLink(admin);
    const browser = await holder();
    const { code, wabaId } = await embeddedSignup(sandbox, 'Acme Bakery');
    await holderPost(browser, 'finish', { token, code, sessionInfo: { event: 'FINISH', wabaId } });
    const refused = await holderPost(browser, 'confirm', { token, phoneNumberIds: [phoneIdOf(sandbox, '+1 555-010-0199')] });
    expect(refused.status).toBe(410);
    expect(refused.body.message).toContain('now chooses which numbers to connect');
  });

  it('a refused code gives the link back: the admin sees the failure and the holder can try again', async () => {
    const admin = await createTenant(api.server);
    const { token } = await createLink(admin);
    const browser = await holder();
    const refused = await holderPost(browser, 'finish', { token, code: 'not-a-code-meta-issued' });
    expect(refused.status).toBe(400);
    const [link] = await linksOf(admin);
    expect(link.state).toBe('failed');
    expect(link.lastError?.message).toMatch(/Meta refused the authorization code/);
    const { code, wabaId } = await embeddedSignup(sandbox, 'Acme Bakery');
    expect((await holderPost(browser, 'finish', { token, code, sessionInfo: { event: 'FINISH', wabaId } })).status).toBe(200);
  });

  it('two windows finishing with one link at once: one consent goes through, the other is told to wait', async () => {
    const admin = await createTenant(api.server);
    const { token } = await createLink(admin);
    const [first, second] = await Promise.all([embeddedSignup(sandbox, 'Acme Bakery'), embeddedSignup(sandbox, 'Acme Bakery')]);
    const answers = await Promise.all([first, second].map(async ({ code, wabaId }) => holderPost(await holder(), 'finish', { token, code, sessionInfo: { event: 'FINISH', wabaId } })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body.message).toBe('This link is being used in another window right now. Wait a moment, then reload this page.');
    const [link] = await linksOf(admin);
    expect(link.state).toBe('finished');
    expect(link.progress.filter((p) => p.step === 'finished')).toHaveLength(1);
  });

  it('expired: the holder is told when it expired and whom to ask; nothing reaches Meta', async () => {
    const admin = await createTenant(api.server, 'Acme');
    const { link, token } = await createLink(admin, { expiresIn: '1h', holderPicks: false });
    await api.app
      .get<Connection>(getConnectionToken())
      .collection('signup_links')
      .updateOne({ _id: new Types.ObjectId(link.id) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const opened = await holderPost(await holder(), 'open', { token });
    expect(opened.status).toBe(410);
    expect(opened.body.message).toMatch(/^This link expired on .*\. Ask Acme Owner at Acme for a new one\.$/);
    const { code } = await embeddedSignup(sandbox, 'Acme Bakery');
    expect((await holderPost(await holder(), 'finish', { token, code })).status).toBe(410);
    expect((await linksOf(admin))[0]).toMatchObject({ state: 'expired', stateLabel: 'Expired' });
    expect(sandbox.world.codes.get(code)?.used).toBe(false);
  });

  it('revoked: the admin withdraws it, the holder is told so; a used link cannot be revoked', async () => {
    const admin = await createTenant(api.server, 'Acme');
    const { link, token } = await createLink(admin);
    const revoked = await admin.browser.post(`/api/signup-links/${link.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.state).toBe('revoked');
    const opened = await holderPost(await holder(), 'open', { token });
    expect(opened.status).toBe(410);
    expect(opened.body.message).toMatch(/^Acme withdrew this link on .*, so it no longer works\./);

    const used = await createLink(admin);
    const { code, wabaId } = await embeddedSignup(sandbox, 'Acme Bakery');
    await holderPost(await holder(), 'finish', { token: used.token, code, sessionInfo: { event: 'FINISH', wabaId } });
    const late = await admin.browser.post(`/api/signup-links/${used.link.id}/revoke`);
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/already used/);
  });

  it('rate limited: one link answers a bounded number of requests a minute, with Retry-After and words', async () => {
    const admin = await createTenant(api.server);
    const { token } = await createLink(admin);
    const browser = await holder();
    for (let i = 0; i < PER_LINK_LIMIT; i++) expect((await holderPost(browser, 'open', { token })).status).toBe(200);
    const limited = await holderPost(browser, 'open', { token });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.message).toMatch(/^Too many requests from this link: at most 12 a minute\. Try again in \d+ seconds\.$/);
    // Another link is not held up by this one.
    const other = await createLink(admin);
    expect((await holderPost(browser, 'open', { token: other.token })).status).toBe(200);
  });

  it('wrong tenant: another tenant’s admin can neither list, revoke nor pick from a link’s consent', async () => {
    const [a, b] = await createTwoTenants(api.server);
    const { link, token } = await createLink(a);
    expect(await linksOf(b)).toEqual([]);
    const revoke = await b.browser.post(`/api/signup-links/${link.id}/revoke`);
    expect(revoke.status).toBe(404);
    const { code, wabaId } = await embeddedSignup(sandbox, 'Acme Bakery');
    await holderPost(await holder(), 'finish', { token, code, sessionInfo: { event: 'FINISH', wabaId } });
    const sessionId = (await linksOf(a))[0].onboardingSessionId as string;
    expect((await b.browser.get(`/api/integrations/whatsapp/onboarding/${sessionId}`)).status).toBe(404);
    expect((await b.browser.post(`/api/integrations/whatsapp/onboarding/${sessionId}/confirm`, { phoneNumberIds: [phoneIdOf(sandbox, '+1 555-010-0199')] })).status).toBe(404);
    // And the consent landed in tenant A only.
    expect((await a.browser.get(`/api/integrations/whatsapp/onboarding/${sessionId}`)).status).toBe(200);
  });

  it('an unknown token and a signed-out admin call are refused in words', async () => {
    const unknown = await holderPost(await holder(), 'open', { token: 'A'.repeat(43) });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('This signup link is not valid: open the whole link you were sent, or ask for a new one.');
    const short = await holderPost(await holder(), 'open', { token: 'abc' });
    expect(short.status).toBe(400);
    const anonymous = await (await holder()).post('/api/signup-links', { expiresIn: '1h', holderPicks: false });
    expect(anonymous.status).toBe(401);
  });

  it('keeps a link 30 days past its expiry so it can explain itself, then the retention task deletes it', async () => {
    const admin = await createTenant(api.server);
    const old = await createLink(admin);
    const recent = await createLink(admin);
    const links = api.app.get<Connection>(getConnectionToken()).collection('signup_links');
    await links.updateOne({ _id: new Types.ObjectId(old.link.id) }, { $set: { expiresAt: new Date(Date.now() - 31 * 86_400_000) } });
    await links.updateOne({ _id: new Types.ObjectId(recent.link.id) }, { $set: { expiresAt: new Date(Date.now() - 29 * 86_400_000) } });
    const queue = api.app.get<Queue>(getQueueToken('maintenance'));
    const job = await queue.add('signup-link-retention', {});
    for (const deadline = Date.now() + 15_000; !(await job.isCompleted()) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
    expect((await linksOf(admin)).map((l) => l.id)).toEqual([recent.link.id]);
    expect((await holderPost(await holder(), 'open', { token: recent.token })).status).toBe(410);
  });
});

describe('Signup links against guessing (API)', () => {
  let api: TestApp;
  useApiWithSandbox((running) => ({ api } = running), { SIGNUP_LINK_REQUESTS_PER_ADDRESS_PER_MINUTE: '5' });

  it('stops one address guessing tokens: different tokens share the address’s limit', async () => {
    const browser = await new TestBrowser(api.server).visit();
    const guess = () => browser.post('/api/signup-links/holder/open', { token: randomBytes(32).toString('base64url') });
    for (let i = 0; i < 5; i++) expect((await guess()).status).toBe(404);
    const limited = await guess();
    expect(limited.status).toBe(429);
    expect(limited.body.message).toMatch(/^Too many requests from your network address: at most 5 a minute\. Try again in \d+ seconds\.$/);
  });
});
