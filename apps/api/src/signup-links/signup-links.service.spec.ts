import type { MockProxy } from 'jest-mock-extended';
import type { OnboardingAttemptView, OnboardingSessionView, SignupLinkView } from '@waba/contracts';
import type { AccountsService } from '../accounts/accounts.service';
import type { AuditService } from '../audit/audit.service';
import { sha256Hex } from '../common/crypto/sha256';
import { ConflictError, GoneError, InvalidRequestError, NotFoundError, TooManyRequestsError } from '../common/errors/domain-errors';
import type { ApiConfig } from '../config/api-config';
import type { OnboardingService } from '../oauth/onboarding.service';
import type { RealtimePublisher } from '../realtime/realtime-publisher';
import type { SharedThrottlerStorage } from '../redis/shared-throttler-storage';
import { ACCOUNT_ID, anAccountRecord, aTenant, aUserRecord, OTHER_ACCOUNT_ID, USER_ID } from '../testing/factories';
import { FakeClock, HOUR, MINUTE } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { SignupLinkChanges, SignupLinkProgressRecord, SignupLinkRecord, SignupLinksRepository } from './signup-links.repository';
import type { OnboardingAttemptsService } from '../onboarding-attempts/onboarding-attempts.service';
import { LINK_HOLDER, SignupLinksService } from './signup-links.service';

const ATTEMPT_ID = '64b0000000000000000000a1';

/** The repository's rules (conditional claim, first open, revoke only unused) over a Map. */
class InMemorySignupLinks {
  readonly links = new Map<string, SignupLinkRecord & { tokenHash: string }>();
  private next = 1;

  async create(link: Parameters<SignupLinksRepository['create']>[0]): Promise<SignupLinkRecord> {
    const id = `64c0000000000000000000${String(this.next++).padStart(2, '0')}`;
    const record = {
      ...link,
      id,
      createdAt: new Date(link.progress[0].at),
      openedAt: null,
      usedAt: null,
      revokedAt: null,
      onboardingSessionId: null,
      attemptId: null,
      cancelledAtStep: null,
      lastError: null,
    };
    this.links.set(id, record);
    return this.copy(record);
  }
  async findByTokenHash(tokenHash: string) {
    const found = [...this.links.values()].find((l) => l.tokenHash === tokenHash);
    return found ? this.copy(found) : null;
  }
  async findInAccount(accountId: string, id: string) {
    const found = this.links.get(id);
    return found && found.accountId === accountId ? this.copy(found) : null;
  }
  async list(accountId: string) {
    return [...this.links.values()].filter((l) => l.accountId === accountId).map((l) => this.copy(l));
  }
  async addProgress(id: string, entry: SignupLinkProgressRecord, changes: SignupLinkChanges = {}) {
    const link = this.links.get(id);
    if (!link) return null;
    Object.assign(link, changes, { progress: [...link.progress, entry] });
    return this.copy(link);
  }
  async markOpened(id: string, entry: SignupLinkProgressRecord) {
    const link = this.links.get(id);
    if (!link || link.openedAt) return null;
    return this.addProgress(id, entry, { openedAt: entry.at });
  }
  async claim(tokenHash: string, now: Date) {
    const link = [...this.links.values()].find((l) => l.tokenHash === tokenHash && !l.usedAt && !l.revokedAt && l.expiresAt > now);
    if (!link) return null;
    link.usedAt = now;
    return this.copy(link);
  }
  async release(id: string) {
    const link = this.links.get(id);
    if (link && !link.onboardingSessionId) link.usedAt = null;
  }
  async revoke(accountId: string, id: string, entry: SignupLinkProgressRecord) {
    const link = this.links.get(id);
    if (!link || link.accountId !== accountId || link.usedAt || link.revokedAt) return null;
    link.revokedAt = entry.at;
    return this.addProgress(id, entry);
  }
  private copy(link: SignupLinkRecord & { tokenHash: string }): SignupLinkRecord {
    return { ...link, progress: [...link.progress] };
  }
}

function aSession(status: OnboardingSessionView['status'] = 'pending'): OnboardingSessionView {
  return {
    id: 'session-1',
    source: 'embedded_signup',
    status,
    expiresAt: '2026-11-25T13:00:00.000Z',
    wabas: [
      {
        wabaId: '1000000000000001',
        name: 'Acme WABA',
        ownerBusinessName: 'Acme Ltd',
        numbers: [
          {
            phoneNumberId: '2000000000000001',
            displayPhone: '+44 7700 900123',
            verifiedName: 'Acme',
            qualityRating: 'GREEN',
            nameStatus: 'APPROVED',
            codeVerificationStatus: 'VERIFIED',
            platformType: 'CLOUD_API',
            availability: 'available',
            ...(status === 'completed' ? { outcome: { state: 'connected' as const } } : {}),
          },
        ],
      },
    ],
    counts: { shared: 1, new: 1, connectedHere: 0, taken: 0 },
    preselectedPhoneNumberIds: [],
    reconnectPhoneNumberId: null,
  };
}

describe('SignupLinksService', () => {
  const admin = aTenant();
  let clock: FakeClock;
  let repository: InMemorySignupLinks;
  let accounts: MockProxy<AccountsService>;
  let onboarding: MockProxy<OnboardingService>;
  let audit: MockProxy<AuditService>;
  let events: MockProxy<RealtimePublisher>;
  let attempts: MockProxy<OnboardingAttemptsService>;
  let limits: MockProxy<SharedThrottlerStorage>;
  let service: SignupLinksService;
  const config = {
    publicUrl: 'https://waba.example',
    META_CALLS_PER_TENANT_PER_MINUTE: 30,
    META_APP_ID: 'app-1',
    META_CONFIG_ID: 'config-1',
    META_SDK_URL: 'https://connect.facebook.net/en_US/sdk.js',
    META_API_VERSION: 'v24.0',
    META_DIALOG_URL: 'https://www.facebook.com/v24.0/dialog/oauth',
  } as unknown as ApiConfig;

  beforeEach(() => {
    clock = new FakeClock('2026-11-25T12:00:00Z');
    repository = new InMemorySignupLinks();
    accounts = strictMock<AccountsService>('accounts');
    onboarding = strictMock<OnboardingService>('onboarding');
    audit = strictMock<AuditService>('audit');
    events = strictMock<RealtimePublisher>('events');
    limits = strictMock<SharedThrottlerStorage>('limits');
    attempts = strictMock<OnboardingAttemptsService>('attempts');
    attempts.startQuietly.mockResolvedValue(ATTEMPT_ID);
    attempts.ended.mockResolvedValue({} as OnboardingAttemptView);
    service = new SignupLinksService(repository as unknown as SignupLinksRepository, accounts, onboarding, attempts, audit, events, limits, clock, config);
    accounts.account.mockResolvedValue(anAccountRecord());
    accounts.member.mockResolvedValue(aUserRecord());
    audit.record.mockResolvedValue();
    events.publish.mockReturnValue();
    limits.secondsToWait.mockResolvedValue(null);
  });

  const tokenOf = (url: string) => url.split('#')[1];
  const published = (): SignupLinkView[] => events.publish.mock.calls.map(([, event]) => (event as { link: SignupLinkView }).link);

  async function createLink(holderPicks = false, expiresIn: '1h' | '24h' = '24h') {
    const created = await service.create(admin, { expiresIn, holderPicks, note: 'Maria' });
    return { created, token: tokenOf(created.link) };
  }

  it('creates a link whose token is shown once in the URL fragment and stored only as a hash', async () => {
    const { created, token } = await createLink();
    expect(created.link).toMatch(/^https:\/\/waba\.example\/signup-link#[A-Za-z0-9_-]{43}$/);
    expect(created.state).toBe('created');
    expect(created.expiresAt).toBe('2026-11-26T12:00:00.000Z');
    const stored = [...repository.links.values()][0];
    expect(stored.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    // Neither the list, the realtime frame nor the audit log carry the token.
    expect(JSON.stringify(await service.list(admin))).not.toContain(token);
    expect(JSON.stringify(events.publish.mock.calls)).not.toContain(token);
    expect(JSON.stringify(audit.record.mock.calls)).not.toContain(token);
    expect(audit.record).toHaveBeenCalledWith(admin, 'signup_link.created', expect.stringContaining('Maria'), expect.stringContaining('expires in 24h'));
  });

  it('limits how many links a tenant creates in an hour', async () => {
    limits.secondsToWait.mockResolvedValue(1200);
    await expect(service.create(admin, { expiresIn: '1h', holderPicks: false })).rejects.toThrow(TooManyRequestsError);
    expect(limits.secondsToWait).toHaveBeenCalledWith(`signup-link:create:${ACCOUNT_ID}`, 20, HOUR, 'signup-link');
    expect(repository.links.size).toBe(0);
  });

  it('shows the holder who invites them and what is shared, and tells the admin once that it was opened', async () => {
    const { token } = await createLink();
    const view = await service.open(token);
    expect(view).toMatchObject({ accountName: 'Acme Ltd', invitedByName: 'Olivia Owner', state: 'opened', holderPicks: false, session: null });
    expect(view.embeddedSignup).toEqual({ appId: 'app-1', configId: 'config-1', sdkUrl: config.META_SDK_URL, apiVersion: 'v24.0', messageOrigin: 'https://www.facebook.com' });
    expect(view.shares.join(' ')).toMatch(/WhatsApp Business Accounts you choose/);
    await service.open(token);
    expect(audit.record.mock.calls.filter(([, action]) => action === 'signup_link.opened')).toHaveLength(1);
    expect(audit.record).toHaveBeenCalledWith({ accountId: ACCOUNT_ID, name: LINK_HOLDER }, 'signup_link.opened', expect.any(String));
    expect(published().map((l) => l.state)).toEqual(['created', 'opened']);
  });

  it('says in words that an unknown token is not a link', async () => {
    await expect(service.open('x'.repeat(43))).rejects.toThrow(new NotFoundError('This signup link is not valid: open the whole link you were sent, or ask for a new one.'));
  });

  it('records a cancel with the step Meta named, and a failure with Meta’s error, and the link keeps working', async () => {
    const { token } = await createLink();
    await service.reportProgress({ token, step: 'consent_started' });
    const cancelled = await service.reportProgress({ token, step: 'cancelled', currentStep: 'PHONE_NUMBER_SETUP' });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.message).toContain('“phone number setup” step');
    expect(cancelled.embeddedSignup).not.toBeNull();
    let [link] = await service.list(admin);
    expect(link).toMatchObject({ state: 'cancelled', cancelledAtStep: 'phone number setup' });
    expect(link.explanation).toContain('at the “phone number setup” step');

    await service.reportProgress({ token, step: 'failed', errorMessage: 'Business already linked to Embedded Signup', errorCode: '2388042', metaSessionId: 'sess-9' });
    [link] = await service.list(admin);
    expect(link.state).toBe('failed');
    expect(link.lastError).toEqual({ message: 'Business already linked to Embedded Signup', code: '2388042', metaSessionId: 'sess-9' });
    expect(link.progress.map((p) => p.step)).toEqual(['created', 'consent_started', 'cancelled', 'failed']);
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ name: LINK_HOLDER }), 'signup_link.cancelled', expect.any(String), 'Closed at the “phone number setup” step');
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ name: LINK_HOLDER }),
      'signup_link.failed',
      expect.any(String),
      'Business already linked to Embedded Signup (Meta error 2388042)',
    );
  });

  it("records the holder's tries in the onboarding funnel: started, where they left Meta, then the consent", async () => {
    const { token } = await createLink();
    await service.reportProgress({ token, step: 'consent_started' });
    expect(attempts.startQuietly).toHaveBeenCalledWith(expect.objectContaining({ accountId: ACCOUNT_ID }), 'signup_link');
    await service.reportProgress({ token, step: 'cancelled', currentStep: 'PHONE_NUMBER_SETUP' });
    expect(attempts.ended).toHaveBeenCalledWith(expect.objectContaining({ accountId: ACCOUNT_ID }), ATTEMPT_ID, { outcome: 'cancelled', currentStep: 'PHONE_NUMBER_SETUP' });

    onboarding.fromEmbeddedSignup.mockResolvedValue(aSession());
    onboarding.getSession.mockResolvedValue(aSession());
    await service.finish({ token, code: 'code-1' });
    expect(onboarding.fromEmbeddedSignup).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ attemptId: ATTEMPT_ID }));
  });

  it('exchanges the holder’s code for the link’s tenant, acting for the admin who created the link', async () => {
    const { token, created } = await createLink();
    onboarding.fromEmbeddedSignup.mockResolvedValue(aSession());
    onboarding.getSession.mockResolvedValue(aSession());
    const view = await service.finish({ token, code: 'code-1', sessionInfo: { event: 'FINISH', wabaId: '1000000000000001' } });
    expect(onboarding.fromEmbeddedSignup).toHaveBeenCalledWith(expect.objectContaining({ accountId: ACCOUNT_ID, userId: USER_ID, sessionId: `signup-link:${created.id}`, operator: false }), {
      code: 'code-1',
      sessionInfo: { event: 'FINISH', wabaId: '1000000000000001' },
    });
    expect(limits.secondsToWait).toHaveBeenCalledWith(`meta:tenant:${ACCOUNT_ID}`, 30, MINUTE, 'meta');
    // The admin picks: the holder is thanked and shown no numbers.
    expect(view).toMatchObject({ state: 'finished', session: null, embeddedSignup: null });
    expect(view.message).toContain('Olivia Owner at Acme Ltd now chooses');
    const last = published().at(-1);
    expect(last).toMatchObject({ state: 'finished', onboardingSessionId: 'session-1', stateLabel: 'Pick the numbers' });
    expect(last?.progress.at(-1)?.detail).toBe('1 WhatsApp Business Account(s) with 1 number(s) shared');
  });

  it('is single use: a second finish or open is refused in words, and audited', async () => {
    const { token } = await createLink();
    onboarding.fromEmbeddedSignup.mockResolvedValue(aSession());
    onboarding.getSession.mockResolvedValue(aSession());
    await service.finish({ token, code: 'code-1' });
    await expect(service.finish({ token, code: 'code-2' })).rejects.toThrow(GoneError);
    await expect(service.open(token)).rejects.toThrow(/Olivia Owner at Acme Ltd now chooses/);
    onboarding.getSession.mockResolvedValue(aSession('completed'));
    await expect(service.open(token)).rejects.toThrow(/already used on .* works only once/);
    expect(onboarding.fromEmbeddedSignup).toHaveBeenCalledTimes(1);
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ name: LINK_HOLDER }), 'signup_link.refused', expect.any(String), 'The link was already used');
    const [link] = await service.list(admin);
    expect(link.state).toBe('connected');
  });

  it('gives the link back when Meta refuses the code, and shows the admin the failure', async () => {
    const { token } = await createLink();
    onboarding.fromEmbeddedSignup.mockRejectedValueOnce(new InvalidRequestError('Meta refused the authorization code: expired'));
    await expect(service.finish({ token, code: 'code-1' })).rejects.toThrow(InvalidRequestError);
    let [link] = await service.list(admin);
    expect(link).toMatchObject({ state: 'failed', usedAt: null, lastError: { message: 'Meta refused the authorization code: expired' } });

    onboarding.fromEmbeddedSignup.mockResolvedValue(aSession());
    onboarding.getSession.mockResolvedValue(aSession());
    await expect(service.finish({ token, code: 'code-2' })).resolves.toMatchObject({ state: 'finished' });
    [link] = await service.list(admin);
    expect(link.state).toBe('finished');
  });

  it('explains an expired link and does not call Meta', async () => {
    const { token } = await createLink(false, '1h');
    clock.advance(HOUR);
    await expect(service.open(token)).rejects.toThrow(/This link expired on Wed, 25 Nov 2026 13:00:00 GMT\. Ask Olivia Owner at Acme Ltd for a new one\./);
    await expect(service.finish({ token, code: 'code-1' })).rejects.toThrow(GoneError);
    const [link] = await service.list(admin);
    expect(link).toMatchObject({ state: 'expired', stateLabel: 'Expired' });
  });

  it('revokes an unused link, which then explains itself; a used one cannot be revoked', async () => {
    const { created, token } = await createLink();
    const revoked = await service.revoke(admin, created.id);
    expect(revoked.state).toBe('revoked');
    await expect(service.open(token)).rejects.toThrow(/Acme Ltd withdrew this link on .* no longer works/);
    expect(audit.record).toHaveBeenCalledWith(admin, 'signup_link.revoked', expect.any(String));

    const used = await createLink();
    onboarding.fromEmbeddedSignup.mockResolvedValue(aSession());
    onboarding.getSession.mockResolvedValue(aSession());
    await service.finish({ token: used.token, code: 'code-1' });
    await expect(service.revoke(admin, used.created.id)).rejects.toThrow(ConflictError);
  });

  it('never finds another tenant’s link', async () => {
    const { created } = await createLink();
    const other = aTenant({ accountId: OTHER_ACCOUNT_ID });
    await expect(service.revoke(other, created.id)).rejects.toThrow(NotFoundError);
    await expect(service.list(other)).resolves.toEqual([]);
  });

  it('lets the holder pick only when the admin allowed it', async () => {
    const admins = await createLink(false);
    onboarding.fromEmbeddedSignup.mockResolvedValue(aSession());
    onboarding.getSession.mockResolvedValue(aSession());
    await service.finish({ token: admins.token, code: 'code-1' });
    await expect(service.confirm({ token: admins.token, phoneNumberIds: ['2000000000000001'] })).rejects.toThrow(GoneError);

    const holders = await createLink(true);
    const finished = await service.finish({ token: holders.token, code: 'code-2' });
    expect(finished.session?.id).toBe('session-1');
    await expect(service.open(holders.token)).resolves.toMatchObject({ state: 'finished', session: { id: 'session-1' } });
    onboarding.confirm.mockResolvedValue(aSession('completed'));
    const confirmed = await service.confirm({ token: holders.token, phoneNumberIds: ['2000000000000001'] });
    expect(onboarding.confirm).toHaveBeenCalledWith(expect.objectContaining({ accountId: ACCOUNT_ID, userId: USER_ID }), 'session-1', ['2000000000000001']);
    expect(confirmed.state).toBe('connected');
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ name: LINK_HOLDER }), 'signup_link.connected', expect.any(String), '+44 7700 900123: connected');
  });

  it('refuses a holder’s pick before the consent was given', async () => {
    const { token } = await createLink(true);
    await expect(service.confirm({ token, phoneNumberIds: ['2000000000000001'] })).rejects.toThrow(ConflictError);
  });
});
