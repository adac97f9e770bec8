import { Injectable } from '@nestjs/common';
import type { ConnectionSource, EmbeddedSignupRequest, NumberAvailability, OnboardingInProgressView, OnboardingSessionView, PhoneNumberState } from '@waba/contracts';
import { MetaGraphClient, MetaGraphError, toPhoneNumberFacts, type PhoneNumber as GraphPhoneNumber, type PhoneNumberFacts, type Waba } from '@waba/meta-graph';
import { AuditService } from '../audit/audit.service';
import type { TenantContext } from '../common/auth/auth.decorators';
import { sha256Hex } from '../common/crypto/sha256';
import { Clock } from '../common/clock/clock';
import { ConflictError, ForbiddenError, InvalidRequestError, NotFoundError, UpstreamError } from '../common/errors/domain-errors';
import { CredentialsService } from '../credentials/credentials.service';
import { MetricsService, type OnboardingFlow } from '../metrics/metrics.service';
import { OnboardingAttemptsService } from '../onboarding-attempts/onboarding-attempts.service';
import { factsOf, PhoneNumbersService, type NumberOutcome, type SelectedWaba } from '../phone-numbers/phone-numbers.service';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { DiscoveryService } from './discovery.service';
import type { DiscoveredNumber } from './oauth-records.schema';
import { OAuthRepository, type OnboardingSessionRecord } from './oauth.repository';

const SESSION_TTL_MS = 60 * 60 * 1000;
/** The metrics' name of the flow a session came from (`manual` is "import from Meta"). */
const ONBOARDING_FLOW: Record<ConnectionSource, OnboardingFlow> = { embedded_signup: 'embedded_signup', oauth: 'oauth', manual: 'import' };

/** From a consent (or a pasted token) to connected numbers: exchange, discover, pick, connect. */
@Injectable()
export class OnboardingService {
  constructor(
    private readonly repository: OAuthRepository,
    private readonly discovery: DiscoveryService,
    private readonly credentials: CredentialsService,
    private readonly phoneNumbers: PhoneNumbersService,
    private readonly graph: MetaGraphClient,
    private readonly audit: AuditService,
    private readonly events: RealtimePublisher,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    private readonly attempts: OnboardingAttemptsService,
  ) {}

  /** Embedded Signup: the SDK's code is exchanged without `redirect_uri`, as Meta requires. */
  fromEmbeddedSignup(tenant: TenantContext, request: EmbeddedSignupRequest): Promise<OnboardingSessionView> {
    const attemptId = request.attemptId ?? null;
    return this.metrics.onboarding('embedded_signup', 'consent', () =>
      this.recordingFailure(tenant, attemptId, async () => {
        await this.attempts.consentFinished(tenant, attemptId);
        await this.refuseReusedCode(tenant, request.code);
        const exchanged = await this.graph.exchangeCode({ code: request.code }).catch(rethrowAsDomainError('Meta refused the authorization code'));
        const hints = request.sessionInfo?.wabaId ? [request.sessionInfo.wabaId] : [];
        return this.startFromToken(tenant, exchanged.access_token, 'embedded_signup', hints, { reconnectPhoneNumberId: request.reconnectPhoneNumberId ?? null, attemptId });
      }),
    );
  }

  /** Redirect flow: passport-facebook already exchanged the code with the identical redirect_uri. */
  fromRedirect(tenant: TenantContext, grant: { accessToken: string; attemptId: string | null }): Promise<OnboardingSessionView> {
    return this.metrics.onboarding('oauth', 'consent', () =>
      this.recordingFailure(tenant, grant.attemptId, () => this.startFromToken(tenant, grant.accessToken, 'oauth', [], { attemptId: grant.attemptId })),
    );
  }

  /** "Import from Meta": the same discovery and picker for a token pasted by the tenant. */
  importFromToken(tenant: TenantContext, accessToken: string): Promise<OnboardingSessionView> {
    return this.metrics.onboarding('import', 'consent', async () => {
      const attemptId = await this.attempts.startQuietly(tenant, 'import');
      await this.attempts.consentFinished(tenant, attemptId);
      return this.recordingFailure(tenant, attemptId, () => this.startFromToken(tenant, accessToken, 'manual', [], { attemptId }));
    });
  }

  /** The attempt records why the step failed; the error goes on to the caller unchanged. */
  private async recordingFailure<T>(tenant: TenantContext, attemptId: string | null, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      await this.attempts.failed(tenant, attemptId, error);
      throw error;
    }
  }

  async refuseReusedCode(tenant: TenantContext, code: string): Promise<void> {
    if (!(await this.repository.recordCodeUse(tenant.accountId, sha256Hex(code), this.clock.now()))) {
      throw new InvalidRequestError('This authorization code was already used; connect again', { code: 'oauth_code_used' });
    }
  }

  async getSession(tenant: TenantContext, sessionId: string): Promise<OnboardingSessionView> {
    return this.toView(tenant, await this.requireSession(tenant, sessionId));
  }

  /** Consents the tenant has not picked numbers from yet, while their picker is still open. */
  async inProgress(tenant: TenantContext, limit = 5): Promise<OnboardingInProgressView[]> {
    const sessions = await this.repository.listOpenSessions(tenant.accountId, this.clock.now(), limit);
    return sessions.map((s) => ({ id: String(s._id), source: s.source, expiresAt: s.expiresAt.toISOString(), wabaCount: s.wabas.length, numberCount: s.numbers.length }));
  }

  async confirm(tenant: TenantContext, sessionId: string, phoneNumberIds: string[]): Promise<OnboardingSessionView> {
    const session = await this.requireSession(tenant, sessionId);
    // Outcome `completed` or `partial` (some picked numbers did not connect), as the session says.
    return this.metrics.onboarding(
      ONBOARDING_FLOW[session.source],
      'confirm',
      () =>
        this.connectPicked(tenant, session, phoneNumberIds).catch(async (error: unknown) => {
          await this.attempts.confirmFailed(tenant, sessionId, error);
          throw error;
        }),
      (view) => view.status,
    );
  }

  private async connectPicked(tenant: TenantContext, session: OnboardingSessionRecord, phoneNumberIds: string[]): Promise<OnboardingSessionView> {
    const sessionId = String(session._id);
    if (session.expiresAt <= this.clock.now()) throw new InvalidRequestError('This onboarding session has expired; connect again', { code: 'onboarding_expired' });
    // Sessions stored before numbers were kept as our own fields (Graph JSON then): started again, never half-read.
    if (session.numbers.some((n) => !n.displayPhone))
      throw new InvalidRequestError('This onboarding session was started before an update of WABA Connect; connect again', { code: 'onboarding_expired' });
    const unknown = phoneNumberIds.filter((id) => !session.numbers.some((n) => n.phoneNumberId === id));
    if (unknown.length) throw new InvalidRequestError(`Number ${unknown.join(', ')} is not part of this onboarding`);
    await this.refuseTaken(
      tenant,
      session.numbers.filter((n) => phoneNumberIds.includes(n.phoneNumberId)),
    );

    const selection: SelectedWaba[] = session.wabas
      .map((waba) => ({
        waba: { id: waba.wabaId, name: waba.name ?? '', owner_business_info: waba.ownerBusinessId ? { id: waba.ownerBusinessId, name: waba.ownerBusinessName ?? '' } : undefined },
        numbers: session.numbers.filter((n) => n.wabaId === waba.wabaId && phoneNumberIds.includes(n.phoneNumberId)).map(toFacts),
      }))
      .filter((chosen) => chosen.numbers.length > 0);

    const outcomes = await this.phoneNumbers.connectSelection(tenant, String(session.connectionId), session.source, selection);
    const saved = await this.saveOutcomes(tenant, session, outcomes);
    const displayPhones = new Map(session.numbers.map((n) => [n.phoneNumberId, displayPhoneOf(n)]));
    await this.attempts.confirmed(
      tenant,
      sessionId,
      outcomes.map((o) => ({ ...o, displayPhone: displayPhones.get(o.phoneNumberId) ?? o.phoneNumberId })),
    );
    await this.audit.record(tenant, 'onboarding.confirmed', `Onboarding ${sessionId}`, outcomes.map((o) => `${o.phoneNumberId}: ${o.state}`).join(', '));
    const view = await this.toView(tenant, saved);
    this.events.publish(tenant.accountId, { type: 'onboarding.updated', session: view });
    return view;
  }

  /**
   * The picker never offers a number another workspace holds; a confirm that names one anyway is
   * refused whole (409), before anything is claimed, and never says which workspace holds it.
   */
  private async refuseTaken(tenant: TenantContext, picked: DiscoveredNumber[]): Promise<void> {
    const availability = await this.phoneNumbers.availability(tenant.accountId, picked);
    const taken = picked.filter((n) => availability.get(n.phoneNumberId) === 'taken').map((n) => displayPhoneOf(n));
    if (taken.length === 0) return;
    const one = taken.length === 1;
    throw new ConflictError(`${taken.join(', ')} ${one ? 'is' : 'are'} connected to another WABA Connect workspace, so ${one ? 'it' : 'they'} cannot be connected here`, {
      code: 'number_taken',
    });
  }

  private async startFromToken(
    tenant: TenantContext,
    token: string,
    source: ConnectionSource,
    hints: string[],
    { reconnectPhoneNumberId = null, attemptId }: { reconnectPhoneNumberId?: string | null; attemptId: string | null },
  ): Promise<OnboardingSessionView> {
    const { debug, wabas } = await this.discovery.discover(token, hints).catch(rethrowAsDomainError('Meta did not confirm what was granted'));
    if (wabas.length === 0) throw new ForbiddenError('Meta granted no WhatsApp Business Account; connect again and share at least one');
    const connection = await this.credentials.saveGrant(
      tenant,
      token,
      source,
      debug,
      wabas.map((w) => w.id),
    );
    const session = await this.repository.insertSession(tenant.accountId, {
      userId: tenant.userId,
      connectionId: connection.id,
      source,
      expiresAt: new Date(this.clock.now().getTime() + SESSION_TTL_MS),
      wabas: wabas.map(toDiscoveredWaba),
      numbers: wabas.flatMap((w) => (w.phone_numbers?.data ?? []).map((n) => toDiscoveredNumber(w.id, n))),
      reconnectPhoneNumberId,
    });
    await this.audit.record(tenant, 'whatsapp.consent', `${wabas.length} WhatsApp Business Account(s)`, `via ${source}`);
    await this.attempts.offered(tenant, attemptId, String(session._id), session.numbers.length);
    return this.toView(tenant, session);
  }

  private async saveOutcomes(tenant: TenantContext, session: OnboardingSessionRecord, outcomes: NumberOutcome[]): Promise<OnboardingSessionRecord> {
    const byId = new Map(outcomes.map((o) => [o.phoneNumberId, o]));
    const numbers = session.numbers.map((n) => {
      const outcome = byId.get(n.phoneNumberId);
      return outcome ? { ...n, outcomeState: outcome.state, outcomeMessage: outcome.message ?? null } : n;
    });
    const picked = numbers.filter((n) => n.outcomeState);
    const status = picked.every((n) => n.outcomeState === 'connected') ? 'completed' : 'partial';
    return (await this.repository.saveOutcomes(tenant.accountId, String(session._id), numbers, status)) ?? session;
  }

  private async requireSession(tenant: TenantContext, sessionId: string): Promise<OnboardingSessionRecord> {
    const session = await this.repository.findSession(tenant.accountId, sessionId);
    if (!session) throw new NotFoundError('Onboarding session not found');
    return session;
  }

  private async toView(tenant: TenantContext, session: OnboardingSessionRecord): Promise<OnboardingSessionView> {
    const availability = await this.phoneNumbers.availability(tenant.accountId, session.numbers);
    const expired = session.expiresAt <= this.clock.now() && session.status === 'pending';
    const availabilityOf = (n: DiscoveredNumber) => availability.get(n.phoneNumberId) ?? 'available';
    const count = (wanted: NumberAvailability) => session.numbers.filter((n) => availabilityOf(n) === wanted).length;
    return {
      id: String(session._id),
      source: session.source,
      status: expired ? 'expired' : session.status,
      expiresAt: session.expiresAt.toISOString(),
      wabas: session.wabas.map((waba) => ({
        wabaId: waba.wabaId,
        name: waba.name,
        ownerBusinessName: waba.ownerBusinessName,
        numbers: session.numbers
          .filter((n) => n.wabaId === waba.wabaId)
          .map((n) => ({
            phoneNumberId: n.phoneNumberId,
            displayPhone: displayPhoneOf(n),
            verifiedName: n.verifiedName,
            qualityRating: n.qualityRating,
            nameStatus: n.nameStatus,
            codeVerificationStatus: n.codeVerificationStatus,
            platformType: n.platformType,
            availability: availabilityOf(n),
            ...(n.outcomeState ? { outcome: { state: n.outcomeState as PhoneNumberState, ...(n.outcomeMessage ? { message: n.outcomeMessage } : {}) } } : {}),
          })),
      })),
      counts: { shared: session.numbers.length, new: count('available'), connectedHere: count('connected_here'), taken: count('taken') },
      preselectedPhoneNumberIds: expired ? [] : preselected(session, availabilityOf),
      reconnectPhoneNumberId: session.reconnectPhoneNumberId ?? null,
    };
  }
}

/**
 * What the picker starts with ticked, among numbers not yet confirmed and not taken: the number
 * being reconnected when it is in this consent; otherwise those already connected here, since
 * confirming them again moves them onto the new consent (how Reconnect repairs a credential).
 */
function preselected(session: OnboardingSessionRecord, availabilityOf: (n: DiscoveredNumber) => NumberAvailability): string[] {
  const open = session.numbers.filter((n) => !n.outcomeState && availabilityOf(n) !== 'taken');
  const target = open.filter((n) => n.phoneNumberId === session.reconnectPhoneNumberId);
  return (target.length ? target : open.filter((n) => availabilityOf(n) === 'connected_here')).map((n) => n.phoneNumberId);
}

function displayPhoneOf(number: DiscoveredNumber): string {
  return number.displayPhone || number.phoneNumberId;
}

function toDiscoveredWaba(waba: Waba) {
  return { wabaId: waba.id, name: waba.name ?? null, ownerBusinessId: waba.owner_business_info?.id ?? null, ownerBusinessName: waba.owner_business_info?.name ?? null };
}

/** Meta's answer is parsed once, here: the session keeps our own fields, never Graph's JSON. */
function toDiscoveredNumber(wabaId: string, number: GraphPhoneNumber): DiscoveredNumber {
  return { ...toPhoneNumberFacts(number), wabaId, outcomeState: null, outcomeMessage: null };
}

function toFacts(number: DiscoveredNumber): PhoneNumberFacts {
  return { ...factsOf(number), phoneNumberId: number.phoneNumberId, lastOnboardedAt: number.lastOnboardedAt };
}

/** Meta's refusals become clear 4xx/502 answers; anything else stays a server error. */
export function rethrowAsDomainError(context: string): (error: unknown) => never {
  return (error: unknown) => {
    if (!(error instanceof MetaGraphError)) throw error;
    const detail = `${context}: ${error.message}`;
    if (error.kind === 'invalid' || error.kind === 'credential') throw new InvalidRequestError(detail, { cause: error });
    if (error.kind === 'permission') throw new ForbiddenError(detail, { cause: error });
    throw new UpstreamError(`${detail} (try again shortly)`, { cause: error });
  };
}
