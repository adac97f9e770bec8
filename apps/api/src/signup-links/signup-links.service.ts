import { Injectable } from '@nestjs/common';
import {
  SIGNUP_LINK_EXPIRY_HOURS,
  SIGNUP_SCREEN_NAME,
  UserRole,
  type CreateSignupLinkRequest,
  type EndOnboardingAttemptRequest,
  type CreatedSignupLinkView,
  type OnboardingSessionView,
  type SignupLinkConfirmRequest,
  type SignupLinkFinishRequest,
  type SignupLinkProgressRequest,
  type SignupLinkPublicView,
  type SignupLinkState,
  type SignupLinkView,
} from '@waba/contracts';
import { randomBytes } from 'node:crypto';
import { AccountsService } from '../accounts/accounts.service';
import { AuditService, type AuditActor } from '../audit/audit.service';
import type { TenantContext } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { sha256Hex } from '../common/crypto/sha256';
import { ConflictError, DomainError, ForbiddenError, GoneError, NotFoundError, TooManyRequestsError } from '../common/errors/domain-errors';
import { ApiConfig } from '../config/api-config';
import { OnboardingService } from '../oauth/onboarding.service';
import { OnboardingAttemptsService } from '../onboarding-attempts/onboarding-attempts.service';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { SharedThrottlerStorage } from '../redis/shared-throttler-storage';
import { describeForAdmin, describeForHolder, signupLinkState, stepInWords, whatIsShared } from './signup-link-words';
import { SignupLinksRepository, type SignupLinkChanges, type SignupLinkProgressRecord, type SignupLinkRecord } from './signup-links.repository';

/** Links an admin may create per tenant and hour: enough for a team, not a link factory. */
const LINKS_PER_TENANT_PER_HOUR = 20;
const LIST_LIMIT = 50;
/** States in which the holder may still run Meta's sign-up. */
const USABLE: SignupLinkState[] = ['created', 'opened', 'consent_started', 'cancelled', 'failed'];
const NOT_VALID = 'This signup link is not valid: open the whole link you were sent, or ask for a new one.';

/**
 * Onboarding by link: an admin's single-use, expiring link lets someone without an account (the
 * owner of the Meta business) run Embedded Signup for the tenant. Each step is stored, audited and
 * pushed to the tenant's admins live. The consent itself goes through OnboardingService unchanged,
 * acting for the tenant as the link's creator.
 */
@Injectable()
export class SignupLinksService {
  constructor(
    private readonly repository: SignupLinksRepository,
    private readonly accounts: AccountsService,
    private readonly onboarding: OnboardingService,
    private readonly attempts: OnboardingAttemptsService,
    private readonly audit: AuditService,
    private readonly events: RealtimePublisher,
    private readonly limits: SharedThrottlerStorage,
    private readonly clock: Clock,
    private readonly config: ApiConfig,
  ) {}

  /** A new link; its URL (with the token, in the fragment) is in this answer only: the hash is stored. */
  async create(tenant: TenantContext, request: CreateSignupLinkRequest): Promise<CreatedSignupLinkView> {
    const seconds = await this.limits.secondsToWait(`signup-link:create:${tenant.accountId}`, LINKS_PER_TENANT_PER_HOUR, 3600_000, 'signup-link');
    if (seconds !== null) throw new TooManyRequestsError(`Your account created ${LINKS_PER_TENANT_PER_HOUR} signup links in the last hour. Try again in ${Math.ceil(seconds / 60)} minutes.`, seconds);
    const account = await this.accounts.account(tenant.accountId);
    const creator = await this.accounts.member(tenant.accountId, tenant.userId);
    if (!account || !creator) throw new NotFoundError('Your account no longer exists');

    const now = this.clock.now();
    const token = randomBytes(32).toString('base64url');
    const note = request.note?.trim() || null;
    const link = await this.repository.create({
      accountId: tenant.accountId,
      createdBy: tenant.userId,
      createdByName: creator.name,
      note,
      holderPicks: request.holderPicks,
      expiresAt: new Date(now.getTime() + SIGNUP_LINK_EXPIRY_HOURS[request.expiresIn] * 3600_000),
      tokenHash: sha256Hex(token),
      progress: [{ step: 'created', at: now, detail: request.holderPicks ? 'The person with the link picks the numbers' : 'An admin picks the numbers' }],
    });
    await this.audit.record(tenant, 'signup_link.created', targetOf(link), `expires in ${request.expiresIn}; ${request.holderPicks ? 'the holder picks the numbers' : 'an admin picks the numbers'}`);
    const view = await this.publish(tenant.accountId, link);
    // In the fragment, so the token never reaches a server log or a Referer header.
    return { ...view, link: `${this.config.publicUrl}/signup-link#${token}` };
  }

  async list(tenant: TenantContext): Promise<SignupLinkView[]> {
    const links = await this.repository.list(tenant.accountId, LIST_LIMIT);
    return Promise.all(links.map((link) => this.toView(link)));
  }

  async revoke(tenant: TenantContext, id: string): Promise<SignupLinkView> {
    const link = await this.repository.findInAccount(tenant.accountId, id);
    if (!link) throw new NotFoundError('No such signup link in this account');
    if (link.revokedAt) return this.toView(link);
    if (link.usedAt) throw new ConflictError('This link was already used for Meta’s consent, so there is nothing to revoke; disconnect the numbers instead if you no longer want them.');
    const revoked = await this.repository.revoke(tenant.accountId, id, { step: 'revoked', at: this.clock.now(), detail: null });
    if (!revoked) throw new ConflictError('This link was used a moment ago, so it can no longer be revoked.');
    await this.audit.record(tenant, 'signup_link.revoked', targetOf(revoked));
    return this.publish(tenant.accountId, revoked);
  }

  /** Public: the holder opens the link. The first open is a step the admin sees. */
  async open(token: string): Promise<SignupLinkPublicView> {
    let link = await this.requireLink(token);
    const accountName = await this.accountNameOf(link);
    await this.refuseUnusable(link, accountName, { pickingAllowed: true });
    const opened = await this.repository.markOpened(link.id, { step: 'opened', at: this.clock.now(), detail: null });
    if (opened) {
      link = opened;
      await this.audit.record(holderOf(link), 'signup_link.opened', targetOf(link));
      await this.publish(link.accountId, link);
    }
    return this.publicView(link, accountName);
  }

  /** Public: what happened in Meta's window (started, cancelled at a step, failed with an error). */
  async reportProgress(request: SignupLinkProgressRequest): Promise<SignupLinkPublicView> {
    const link = await this.requireLink(request.token);
    const accountName = await this.accountNameOf(link);
    await this.refuseUnusable(link, accountName, { pickingAllowed: false });
    const now = this.clock.now();
    let entry: SignupLinkProgressRecord;
    let changes: SignupLinkChanges = {};
    if (request.step === 'cancelled') {
      const step = request.currentStep?.trim() || null;
      entry = { step: 'cancelled', at: now, detail: step ? `Closed at the “${stepInWords(step)}” step` : 'Closed before finishing' };
      changes = { cancelledAtStep: step };
      await this.endAttempt(link, { outcome: 'cancelled', ...(step && SIGNUP_SCREEN_NAME.test(step) ? { currentStep: step } : {}) });
    } else if (request.step === 'failed') {
      const error = { message: request.errorMessage?.trim() || 'Meta reported an error during sign-up', code: request.errorCode ?? null, metaSessionId: request.metaSessionId ?? null };
      entry = { step: 'failed', at: now, detail: `${error.message}${error.code ? ` (Meta error ${error.code})` : ''}` };
      changes = { lastError: error };
      await this.endAttempt(link, {
        outcome: 'error',
        errorMessage: error.message.slice(0, 500),
        ...(error.code ? { errorCode: error.code.slice(0, 32) } : {}),
        ...(error.metaSessionId ? { sessionId: error.metaSessionId.slice(0, 128) } : {}),
      });
    } else {
      entry = { step: 'consent_started', at: now, detail: null };
      changes = { attemptId: await this.attempts.startQuietly(holderTenantOf(link), 'signup_link') };
    }
    const updated = (await this.repository.addProgress(link.id, entry, changes)) ?? link;
    await this.audit.record(holderOf(link), `signup_link.${request.step}`, targetOf(link), entry.detail ?? undefined);
    await this.publish(link.accountId, updated);
    return this.publicView(updated, accountName);
  }

  /**
   * Public: the holder's Embedded Signup code. The link is claimed first (single use), then the
   * code goes through the same exchange and discovery as the admin's own Connect WhatsApp; a failed
   * exchange gives the link back, so the holder can try again.
   */
  async finish(request: SignupLinkFinishRequest): Promise<SignupLinkPublicView> {
    const link = await this.requireLink(request.token);
    const accountName = await this.accountNameOf(link);
    await this.refuseUnusable(link, accountName, { pickingAllowed: false });
    // The exchange spends the tenant's Meta budget, as the admin's own Connect WhatsApp does.
    const seconds = await this.limits.secondsToWait(`meta:tenant:${link.accountId}`, this.config.META_CALLS_PER_TENANT_PER_MINUTE, 60_000, 'meta');
    if (seconds !== null) throw new TooManyRequestsError(`Too many requests to Meta for ${accountName} right now. Try again in ${seconds} seconds.`, seconds);
    const claimed = await this.repository.claim(sha256Hex(request.token), this.clock.now());
    if (!claimed) {
      await this.refuseUnusable(await this.requireLink(request.token), accountName, { pickingAllowed: false });
      throw new ConflictError('This link is being used in another window right now. Wait a moment, then reload this page.');
    }

    let session: OnboardingSessionView;
    try {
      session = await this.onboarding.fromEmbeddedSignup(holderTenantOf(claimed), {
        code: request.code,
        sessionInfo: request.sessionInfo,
        ...(claimed.attemptId ? { attemptId: claimed.attemptId } : {}),
      });
    } catch (error) {
      await this.repository.release(claimed.id);
      const message = error instanceof DomainError ? error.message : 'WABA Connect could not finish the sign-up';
      const failed = await this.repository.addProgress(claimed.id, { step: 'failed', at: this.clock.now(), detail: message }, { lastError: { message, code: null, metaSessionId: null } });
      await this.audit.record(holderOf(link), 'signup_link.failed', targetOf(link), message);
      await this.publish(link.accountId, failed ?? claimed);
      throw error;
    }

    const numbers = session.wabas.reduce((sum, waba) => sum + waba.numbers.length, 0);
    const detail = `${session.wabas.length} WhatsApp Business Account(s) with ${numbers} number(s) shared`;
    const finished = (await this.repository.addProgress(claimed.id, { step: 'finished', at: this.clock.now(), detail }, { onboardingSessionId: session.id })) ?? claimed;
    await this.audit.record(holderOf(link), 'signup_link.finished', targetOf(link), detail);
    await this.publish(link.accountId, finished);
    return this.publicView(finished, accountName, session);
  }

  /** Public: the holder's pick, when the admin allowed it; the same confirm as the admin's picker. */
  async confirm(request: SignupLinkConfirmRequest): Promise<SignupLinkPublicView> {
    const link = await this.requireLink(request.token);
    const accountName = await this.accountNameOf(link);
    await this.refuseUnusable(link, accountName, { pickingAllowed: true });
    if (!link.onboardingSessionId) throw new ConflictError('Finish Meta’s sign-up first; then choose the numbers.');
    if (!link.holderPicks) throw new ForbiddenError(`${link.createdByName} at ${accountName} picks the numbers for this link, so there is nothing to choose here.`);
    const session = await this.onboarding.confirm(holderTenantOf(link), link.onboardingSessionId, request.phoneNumberIds);
    const outcomes = session.wabas.flatMap((waba) => waba.numbers.filter((n) => n.outcome).map((n) => `${n.displayPhone}: ${n.outcome?.state}`));
    const connected = (await this.repository.addProgress(link.id, { step: 'connected', at: this.clock.now(), detail: outcomes.join(', ') })) ?? link;
    await this.audit.record(holderOf(link), 'signup_link.connected', targetOf(link), outcomes.join(', '));
    await this.publish(link.accountId, connected);
    return this.publicView(connected, accountName, session);
  }

  /** The funnel hears how the holder's try in Meta's window ended; it never stops the link's own record. */
  private async endAttempt(link: SignupLinkRecord, ended: EndOnboardingAttemptRequest): Promise<void> {
    if (!link.attemptId) return;
    await this.attempts.ended(holderTenantOf(link), link.attemptId, ended).catch(() => undefined);
  }

  private async requireLink(token: string): Promise<SignupLinkRecord> {
    const link = await this.repository.findByTokenHash(sha256Hex(token));
    if (!link) throw new NotFoundError(NOT_VALID);
    return link;
  }

  private async accountNameOf(link: SignupLinkRecord): Promise<string> {
    const account = await this.accounts.account(link.accountId);
    if (!account) throw new GoneError('The business that sent this link no longer uses WABA Connect.');
    return account.name;
  }

  /**
   * A used, expired or revoked link says why, in words (410), and the refusal is audited. While
   * `pickingAllowed`, a consent given through the link still lets its holder pick (when allowed).
   */
  private async refuseUnusable(link: SignupLinkRecord, accountName: string, { pickingAllowed }: { pickingAllowed: boolean }): Promise<void> {
    const state = await this.stateOf(link);
    if (USABLE.includes(state) && !link.usedAt) return;
    if (USABLE.includes(state)) throw new ConflictError('This link is being used in another window right now. Wait a moment, then reload this page.');
    if (pickingAllowed && state === 'finished' && link.holderPicks) return;
    await this.audit.record(holderOf(link), 'signup_link.refused', targetOf(link), `The link was ${state === 'finished' || state === 'connected' ? 'already used' : state}`);
    throw new GoneError(describeForHolder(link, state, accountName));
  }

  private async publicView(link: SignupLinkRecord, accountName: string, session?: OnboardingSessionView): Promise<SignupLinkPublicView> {
    const state = await this.stateOf(link);
    const picking = link.holderPicks && (state === 'finished' || state === 'connected') && link.onboardingSessionId;
    return {
      accountName,
      invitedByName: link.createdByName,
      expiresAt: link.expiresAt.toISOString(),
      state,
      message: describeForHolder(link, state, accountName),
      shares: whatIsShared(accountName, link.holderPicks),
      holderPicks: link.holderPicks,
      embeddedSignup: USABLE.includes(state) ? this.embeddedSignupConfig() : null,
      session: picking ? (session ?? (await this.onboarding.getSession(holderTenantOf(link), link.onboardingSessionId as string))) : null,
    };
  }

  private async toView(link: SignupLinkRecord): Promise<SignupLinkView> {
    const state = await this.stateOf(link);
    return {
      id: link.id,
      state,
      ...describeForAdmin(link, state),
      note: link.note,
      holderPicks: link.holderPicks,
      createdByName: link.createdByName,
      createdAt: link.createdAt.toISOString(),
      expiresAt: link.expiresAt.toISOString(),
      openedAt: link.openedAt?.toISOString() ?? null,
      usedAt: link.onboardingSessionId ? (link.usedAt?.toISOString() ?? null) : null,
      revokedAt: link.revokedAt?.toISOString() ?? null,
      cancelledAtStep: link.cancelledAtStep ? stepInWords(link.cancelledAtStep) : null,
      lastError: link.lastError,
      onboardingSessionId: link.onboardingSessionId,
      progress: link.progress.map((p) => ({ step: p.step, at: p.at.toISOString(), detail: p.detail })),
    };
  }

  /** `connected` also when an admin confirmed the picked numbers in their own picker. */
  private async stateOf(link: SignupLinkRecord): Promise<SignupLinkState> {
    let sessionConnected = false;
    if (link.onboardingSessionId && !link.revokedAt && !link.progress.some((p) => p.step === 'connected')) {
      const session = await this.onboarding.getSession(holderTenantOf(link), link.onboardingSessionId).catch((error: unknown) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      });
      sessionConnected = session?.status === 'completed' || session?.status === 'partial';
    }
    return signupLinkState(link, this.clock.now(), sessionConnected);
  }

  private async publish(accountId: string, link: SignupLinkRecord): Promise<SignupLinkView> {
    const view = await this.toView(link);
    this.events.publish(accountId, { type: 'signup-link.updated', link: view });
    return view;
  }

  private embeddedSignupConfig() {
    return {
      appId: this.config.META_APP_ID,
      configId: this.config.META_CONFIG_ID,
      sdkUrl: this.config.META_SDK_URL,
      apiVersion: this.config.META_API_VERSION,
      messageOrigin: new URL(this.config.META_DIALOG_URL).origin,
    };
  }
}

/** The audit log's name for the person holding a link (they have no account). */
export const LINK_HOLDER = 'Signup link holder';

function holderOf(link: SignupLinkRecord): AuditActor {
  return { accountId: link.accountId, name: LINK_HOLDER };
}

/**
 * The tenant the holder acts for: the link's account, on behalf of the admin who created it (the
 * onboarding session and credential are theirs), named as the link's holder in the audit log.
 */
export function holderTenantOf(link: SignupLinkRecord): TenantContext {
  return {
    accountId: link.accountId,
    userId: link.createdBy,
    role: UserRole.Admin,
    sessionId: `signup-link:${link.id}`,
    operator: false,
    userName: `${LINK_HOLDER} (link from ${link.createdByName})`,
  };
}

function targetOf(link: SignupLinkRecord): string {
  return `Signup link${link.note ? ` for ${link.note}` : ''} (…${link.id.slice(-6)})`;
}
