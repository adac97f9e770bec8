/**
 * The cast of the security suites: a victim tenant with a connected WABA and numbers (through the
 * Meta sandbox, as a person would connect them), an admin (non-owner) user of the victim's tenant,
 * and an unrelated attacker tenant. Every secret the set-up creates goes into the registry.
 */
import type { OnboardingSessionView, SessionView, WhatsAppStatusView } from '@waba/contracts';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { APP_SECRET, ExchangeRecorder, RecordingBrowser, SecretRegistry } from '@waba/testing';
import { embeddedSignup, phoneIdOf, wabaIdOf, type Sandbox } from './meta-sandbox';
import type { TestApp } from './test-app';

export interface RecordedTenant {
  browser: RecordingBrowser;
  session: SessionView;
  email: string;
  password: string;
}

/** createTenant, with a recording browser and the password and cookies registered as secrets. */
export async function createRecordedTenant(server: Server, recorder: ExchangeRecorder, name: string): Promise<RecordedTenant> {
  const browser = await new RecordingBrowser(server, recorder, name).visit();
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${randomBytes(5).toString('hex')}@example.com`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  recorder.secrets.add(`password of ${name}`, password);
  const response = await browser.post('/api/auth/signup', { accountName: name, name: `${name} Owner`, email, password });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { browser, session: response.body as SessionView, email, password };
}

/** Signs in again as an existing user, in a new recording browser (a second session). */
export async function signIn(server: Server, recorder: ExchangeRecorder, name: string, email: string, password: string): Promise<RecordingBrowser> {
  const browser = await new RecordingBrowser(server, recorder, name).visit();
  const response = await browser.post('/api/auth/login', { email, password });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return browser;
}

export interface SecurityWorld {
  secrets: SecretRegistry;
  recorder: ExchangeRecorder;
  victim: RecordedTenant & {
    accountId: string;
    userId: string;
    wabaId: string;
    /** Connected numbers of the victim; the first is active. */
    phoneNumberIds: string[];
    /** The victim's completed onboarding session. */
    sessionId: string;
    /** An OAuth state issued to the victim (redirect flow started, never finished). */
    oauthState: string;
    /** An invitation of the victim's tenant nobody accepted yet. */
    pendingInvitationId: string;
    /** A signup link of the victim's tenant, not opened yet. */
    signupLinkId: string;
    /** An onboarding attempt of the victim's tenant, Meta's popup still open. */
    onboardingAttemptId: string;
  };
  /** An admin (not the owner) of the victim's tenant, or undefined when the app offers no way to add one. */
  admin?: { browser: RecordingBrowser; email: string; password: string; userId: string };
  attacker: RecordedTenant & { accountId: string };
  /** Registers the sandbox's tokens, codes and PINs minted so far (call again after more Meta work). */
  harvestSandbox(): void;
}

/** Values the test app is configured with that must never leave it. */
export function registerConfiguredSecrets(secrets: SecretRegistry): void {
  secrets.add('Meta app secret', APP_SECRET);
  secrets.add('webhook verify token', 'sandbox-verify-token');
  secrets.add('token encryption key', Buffer.alloc(32, 9).toString('base64'));
}

export async function buildSecurityWorld(api: TestApp, sandbox: Sandbox): Promise<SecurityWorld> {
  const secrets = new SecretRegistry();
  const recorder = new ExchangeRecorder(secrets);
  registerConfiguredSecrets(secrets);
  const harvestSandbox = () => {
    secrets.addAll('access token minted by the sandbox', sandbox.world.tokens.keys());
    secrets.addAll('authorization code of the sandbox', sandbox.world.codes.keys());
    secrets.addAll(
      'two-step PIN',
      [...sandbox.world.phoneNumbers.values()].map((n) => n.twoStepPin),
    );
  };

  const victim = await createRecordedTenant(api.server, recorder, 'Victim');
  const { code, wabaId } = await embeddedSignup(sandbox, 'Acme Bakery');
  secrets.add('Embedded Signup code', code);
  const onboarding = await victim.browser.post('/api/integrations/whatsapp/embedded-signup', { code, sessionInfo: { event: 'FINISH', wabaId } });
  if (onboarding.status !== 201) throw new Error(`victim onboarding failed: ${onboarding.status} ${JSON.stringify(onboarding.body)}`);
  const session = onboarding.body as OnboardingSessionView;
  // Two registered numbers and one that the app registers with a PIN of its own.
  const phoneNumberIds = ['+1 555-010-0199', '+1 555-010-0177', '+1 555-010-0142'].map((p) => phoneIdOf(sandbox, p));
  const confirm = await victim.browser.post(`/api/integrations/whatsapp/onboarding/${session.id}/confirm`, { phoneNumberIds });
  if (confirm.body?.status !== 'completed') throw new Error(`victim confirm: ${confirm.status} ${JSON.stringify(confirm.body)}`);
  const status = (await victim.browser.get('/api/phone-numbers')).body as WhatsAppStatusView;
  const start = await victim.browser.get('/api/integrations/whatsapp/oauth/start');
  const oauthState = new URL(String(start.headers['location'])).searchParams.get('state') ?? '';
  if (!oauthState) throw new Error('the redirect flow issued no state');

  // An admin of the victim's tenant, invited by the owner; and an invitation still pending.
  const adminEmail = `victim-admin-${randomBytes(5).toString('hex')}@example.com`;
  const adminPassword = `admin-pw-${randomBytes(12).toString('hex')}`;
  secrets.add('password of the victim admin', adminPassword);
  const invitationToken = async (email: string) => {
    const invited = await victim.browser.post('/api/accounts/invitations', { email, role: 'admin' });
    if (invited.status !== 201) throw new Error(`victim invitation: ${invited.status} ${JSON.stringify(invited.body)}`);
    // The recorder registers the link's token as a secret, allowed only in this answer.
    return { token: new URL((invited.body as { link: string }).link).hash.slice(1), id: (invited.body as { id: string }).id };
  };
  const { token } = await invitationToken(adminEmail);
  const joining = await new RecordingBrowser(api.server, recorder, 'Victim admin').visit();
  const accepted = await joining.post('/api/invitations/accept', { token, name: 'Victim Admin', password: adminPassword });
  if (accepted.status !== 201 && accepted.status !== 200) throw new Error(`victim admin accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  const admin: SecurityWorld['admin'] = { browser: joining, email: adminEmail, password: adminPassword, userId: (accepted.body as { user: { id: string } }).user.id };
  const pendingInvitationId = (await invitationToken(`victim-pending-${randomBytes(5).toString('hex')}@example.com`)).id;
  const signupLink = await victim.browser.post('/api/signup-links', { expiresIn: '24h', holderPicks: false });
  if (signupLink.status !== 201) throw new Error(`victim signup link: ${signupLink.status} ${JSON.stringify(signupLink.body)}`);
  const signupLinkId = (signupLink.body as { id: string }).id;
  const attempt = await victim.browser.post('/api/integrations/whatsapp/onboarding-attempts', { flow: 'embedded_signup' });
  if (attempt.status !== 201) throw new Error(`victim onboarding attempt: ${attempt.status} ${JSON.stringify(attempt.body)}`);
  const onboardingAttemptId = (attempt.body as { id: string }).id;

  const attacker = await createRecordedTenant(api.server, recorder, 'Attacker');
  harvestSandbox();
  return {
    secrets,
    recorder,
    victim: {
      ...victim,
      accountId: victim.session.account.id,
      userId: victim.session.user.id,
      wabaId: wabaIdOf(sandbox, 'Acme Bakery'),
      phoneNumberIds: [status.activePhoneNumberId ?? phoneNumberIds[0], ...phoneNumberIds.filter((id) => id !== status.activePhoneNumberId)],
      sessionId: session.id,
      oauthState,
      pendingInvitationId,
      signupLinkId,
      onboardingAttemptId,
    },
    admin,
    attacker: { ...attacker, accountId: attacker.session.account.id },
    harvestSandbox,
  };
}

/** Everything the victim can see of its tenant, read through its own session: compared before and after attacks. */
export async function victimSnapshot(world: SecurityWorld): Promise<Record<string, unknown>> {
  const { browser, sessionId } = world.victim;
  const read = async (path: string) => {
    const response = await browser.get(path);
    if (response.status !== 200) throw new Error(`victim read ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as unknown;
  };
  return {
    me: await read('/api/auth/me'),
    users: await read('/api/accounts/users'),
    invitations: await read('/api/accounts/invitations'),
    signupLinks: await read('/api/signup-links'),
    numbers: await read('/api/phone-numbers'),
    status: await read('/api/integrations/whatsapp/oauth/status'),
    onboarding: await read(`/api/integrations/whatsapp/onboarding/${sessionId}`),
    audit: await read('/api/audit-log'),
    events: await read('/api/events'),
  };
}

/** A raw supertest call recorded like a browser's. */
export function recorded(recorder: ExchangeRecorder, label: string) {
  return async <T extends request.Test>(call: T) => recorder.record(label, await call);
}
