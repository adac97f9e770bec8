import { Injectable, Logger } from '@nestjs/common';
import {
  codeOfMetaError,
  describeError,
  ONBOARDING_ATTEMPT_STEPS,
  ONBOARDING_FLOW_LABELS,
  ONBOARDING_STEP_LABELS,
  signupScreenLabel,
  type EndOnboardingAttemptRequest,
  type OAuthEndedRequest,
  type OnboardingAttemptFlow,
  type OnboardingAttemptStatus,
  type OnboardingAttemptStep,
  type OnboardingAttemptView,
  type OnboardingFunnelCountView,
  type OnboardingFunnelView,
} from '@waba/contracts';
import { MetaGraphError } from '@waba/meta-graph';
import type { TenantContext } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { DomainError, InvalidRequestError, NotFoundError } from '../common/errors/domain-errors';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import type { AttemptError, AttemptFailure } from './onboarding-attempt.schema';
import { OnboardingAttemptsRepository, type AttemptPatch, type FunnelRow, type OnboardingAttemptRecord } from './onboarding-attempts.repository';

const DAY_MS = 24 * 3600_000;
const DEFAULT_FUNNEL_DAYS = 30;
const MAX_FUNNEL_DAYS = 366;

/** One connected or failed number of a confirm, with the number as the tenant knows it. */
export interface AttemptNumberOutcome {
  phoneNumberId: string;
  displayPhone: string;
  state: string;
  message?: string;
}

/**
 * The onboarding funnel: every attempt to connect WhatsApp, from the click to the connected
 * numbers, with where and why it stopped. Recording never fails the onboarding it records: a
 * write that fails is logged and the tenant's flow goes on.
 */
@Injectable()
export class OnboardingAttemptsService {
  private readonly logger = new Logger(OnboardingAttemptsService.name);

  constructor(
    private readonly repository: OnboardingAttemptsRepository,
    private readonly realtime: RealtimePublisher,
    private readonly clock: Clock,
  ) {}

  async start(tenant: TenantContext, flow: OnboardingAttemptFlow): Promise<string> {
    const attempt = await this.repository.insert(tenant.accountId, { userId: tenant.userId, startedByName: tenant.userName ?? null, flow, at: this.clock.now() });
    this.publish(tenant.accountId, attempt);
    return String(attempt._id);
  }

  /** Starts an attempt for a flow the API itself sees begin; null (and logged) when that fails. */
  async startQuietly(tenant: TenantContext, flow: OnboardingAttemptFlow): Promise<string | null> {
    return this.start(tenant, flow).catch((error: unknown) => this.logFailure(error, null));
  }

  /** Meta's popup ended without a code: cancelled at a screen, or an error Meta showed. */
  async ended(tenant: TenantContext, attemptId: string, request: EndOnboardingAttemptRequest): Promise<OnboardingAttemptView> {
    const attempt = await this.repository.find(tenant.accountId, attemptId);
    if (!attempt) throw new NotFoundError('No such onboarding attempt in this account');
    // Only the popup's own outcome ends it here; once a code came back, the API records the rest.
    if (attempt.reachedStep !== 'started' || attempt.status !== 'in_progress') return toAttemptView(attempt);
    const patch: AttemptPatch =
      request.outcome === 'cancelled'
        ? { status: 'cancelled', cancelledAtStep: request.currentStep ?? null }
        : {
            status: 'failed',
            error: {
              source: 'meta',
              message: request.errorMessage?.trim() || 'Meta ended the sign-up with an error',
              code: request.errorCode ?? null,
              sessionId: request.sessionId ?? null,
            },
          };
    return toAttemptView((await this.save(tenant.accountId, attemptId, patch)) ?? attempt);
  }

  /**
   * The full-page redirect came back without a code: ends the attempt its state began, as the
   * popup's `ended` does (`user_denied` is a cancel; anything else Meta's error).
   */
  async redirectEnded(tenant: TenantContext, attemptId: string | null, request: OAuthEndedRequest): Promise<void> {
    if (!attemptId) return;
    const cancelled = request.errorReason === 'user_denied';
    await this.ended(tenant, attemptId, {
      outcome: cancelled ? 'cancelled' : 'error',
      errorCode: request.errorCode,
      errorMessage: cancelled ? undefined : request.errorDescription || request.error,
    });
  }

  /** Meta's consent finished (a code or token came back). */
  consentFinished(tenant: TenantContext, attemptId: string | null): Promise<void> {
    return this.quietly(tenant, attemptId, { reachedStep: 'consent_finished' });
  }

  /** Discovery opened a picker with `numbers` to choose from. */
  offered(tenant: TenantContext, attemptId: string | null, onboardingSessionId: string, numbers: number): Promise<void> {
    return this.quietly(tenant, attemptId, { reachedStep: 'numbers_offered', numbersOffered: numbers, onboardingSessionId });
  }

  /** The attempt stopped on our side or at Meta's API, before any number was connected. */
  failed(tenant: TenantContext, attemptId: string | null, error: unknown): Promise<void> {
    return this.quietly(tenant, attemptId, { status: 'failed', error: errorOf(error) });
  }

  /**
   * A confirm in the picker the attempt opened: how many were picked, connected and failed, and
   * why. A later confirm of the same picker (a retry) updates the same attempt.
   */
  async confirmed(tenant: TenantContext, onboardingSessionId: string, outcomes: AttemptNumberOutcome[]): Promise<void> {
    try {
      const attempt = await this.repository.findBySession(tenant.accountId, onboardingSessionId);
      if (!attempt) return;
      const connected = outcomes.filter((o) => o.state === 'connected').length;
      const failures: AttemptFailure[] = outcomes
        .filter((o) => o.state === 'failed')
        .map((o) => ({ phoneNumberId: o.phoneNumberId, displayPhone: o.displayPhone, reason: o.message ?? 'It could not be connected' }));
      const status: OnboardingAttemptStatus = failures.length === 0 ? 'completed' : connected > 0 ? 'partial' : 'failed';
      await this.save(tenant.accountId, String(attempt._id), {
        reachedStep: connected > 0 ? 'connected' : 'numbers_picked',
        status,
        numbersPicked: outcomes.length,
        numbersConnected: connected,
        failures,
        error: null,
      });
    } catch (error) {
      this.logFailure(error, undefined);
    }
  }

  /** A confirm refused whole (the picker expired, a number is taken): the attempt says why. */
  async confirmFailed(tenant: TenantContext, onboardingSessionId: string, error: unknown): Promise<void> {
    const attempt = await this.repository.findBySession(tenant.accountId, onboardingSessionId).catch((e: unknown) => this.logFailure(e, null));
    if (attempt) await this.quietly(tenant, String(attempt._id), { status: 'failed', error: errorOf(error) });
  }

  async list(tenant: TenantContext, limit = 20): Promise<OnboardingAttemptView[]> {
    return (await this.repository.list(tenant.accountId, Math.min(Math.max(limit, 1), 100))).map(toAttemptView);
  }

  /** Operators: counts per step, outcome, flow, cancelling screen and error, over [from, to). */
  async funnel(period: { from?: string; to?: string }): Promise<OnboardingFunnelView> {
    const to = period.to ? parseDate(period.to, 'to') : this.clock.now();
    const from = period.from ? parseDate(period.from, 'from') : new Date(to.getTime() - DEFAULT_FUNNEL_DAYS * DAY_MS);
    if (from >= to) throw new InvalidRequestError('from must be before to');
    if (to.getTime() - from.getTime() > MAX_FUNNEL_DAYS * DAY_MS) throw new InvalidRequestError(`The period may span at most ${MAX_FUNNEL_DAYS} days`);
    return funnelOf(await this.repository.startedBetween(from, to), from, to);
  }

  deleteStartedBefore(cutoff: Date): Promise<number> {
    return this.repository.deleteStartedBefore(cutoff);
  }

  private async quietly(tenant: TenantContext, attemptId: string | null, patch: AttemptPatch): Promise<void> {
    if (!attemptId) return;
    await this.save(tenant.accountId, attemptId, patch).catch((error: unknown) => this.logFailure(error, null));
  }

  private async save(accountId: string, attemptId: string, patch: AttemptPatch): Promise<OnboardingAttemptRecord | null> {
    const saved = await this.repository.update(accountId, attemptId, { ...patch, updatedAt: this.clock.now() });
    if (saved) this.publish(accountId, saved);
    return saved;
  }

  private publish(accountId: string, attempt: OnboardingAttemptRecord): void {
    this.realtime.publish(accountId, { type: 'onboarding-attempt.updated', attempt: toAttemptView(attempt) });
  }

  private logFailure<T>(error: unknown, fallback: T): T {
    this.logger.warn(`Could not record an onboarding attempt: ${error instanceof Error ? error.message : String(error)}`);
    return fallback;
  }
}

/** In words: the catalogue's for a Meta refusal (never Graph's raw text), ours otherwise. */
function errorOf(error: unknown): AttemptError {
  const meta = error instanceof MetaGraphError ? error : error instanceof DomainError && error.cause instanceof MetaGraphError ? error.cause : null;
  if (meta) {
    const words = describeError(codeOfMetaError(meta.code), meta.code);
    return { source: 'meta', message: `${words.message.replace(/\.$/, '')}. ${words.action}`, code: meta.code === undefined ? null : String(meta.code), sessionId: null };
  }
  if (error instanceof DomainError) return { source: 'ours', message: error.message, code: error.code ?? null, sessionId: null };
  return { source: 'ours', message: 'Something went wrong on our side', code: null, sessionId: null };
}

function parseDate(value: string, name: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidRequestError(`${name} must be a date such as 2026-11-01 or 2026-11-01T12:00:00Z`);
  return date;
}

export function toAttemptView(attempt: OnboardingAttemptRecord): OnboardingAttemptView {
  return {
    id: String(attempt._id),
    flow: attempt.flow,
    status: attempt.status,
    reachedStep: attempt.reachedStep,
    startedAt: attempt.startedAt.toISOString(),
    updatedAt: attempt.updatedAt.toISOString(),
    startedByName: attempt.startedByName,
    cancelledAtStep: attempt.cancelledAtStep,
    cancelledAtStepLabel: attempt.cancelledAtStep ? signupScreenLabel(attempt.cancelledAtStep) : null,
    error: attempt.error ? { source: attempt.error.source, message: attempt.error.message, code: attempt.error.code, sessionId: attempt.error.sessionId } : null,
    numbersOffered: attempt.numbersOffered,
    numbersPicked: attempt.numbersPicked,
    numbersConnected: attempt.numbersConnected,
    failures: attempt.failures.map((f) => ({ phoneNumberId: f.phoneNumberId, displayPhone: f.displayPhone, reason: f.reason })),
    onboardingSessionId: attempt.onboardingSessionId ? String(attempt.onboardingSessionId) : null,
  };
}

export function funnelOf(rows: FunnelRow[], from: Date, to: Date): OnboardingFunnelView {
  const depth = (step: OnboardingAttemptStep) => ONBOARDING_ATTEMPT_STEPS.indexOf(step);
  const outcomes: Record<OnboardingAttemptStatus, number> = { in_progress: 0, completed: 0, partial: 0, cancelled: 0, failed: 0 };
  const byFlow = new Counter();
  const cancelledAt = new Counter();
  const errors = new Counter();
  for (const row of rows) {
    outcomes[row.status] += 1;
    byFlow.add(row.flow, ONBOARDING_FLOW_LABELS[row.flow] ?? row.flow);
    if (row.status === 'cancelled') cancelledAt.add(row.cancelledAtStep ?? 'unknown', row.cancelledAtStep ? signupScreenLabel(row.cancelledAtStep) : 'before Meta said where');
    if (row.error) {
      const code = row.error.code ?? 'none';
      errors.add(`${row.error.source}:${code}`, row.error.source === 'meta' ? `Meta error ${code}: ${row.error.message}` : row.error.message);
    }
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    attempts: rows.length,
    workspaces: new Set(rows.map((r) => String(r.accountId))).size,
    steps: ONBOARDING_ATTEMPT_STEPS.map((step) => ({ step, label: ONBOARDING_STEP_LABELS[step], attempts: rows.filter((r) => depth(r.reachedStep) >= depth(step)).length })),
    outcomes,
    byFlow: byFlow.sorted(),
    cancelledAt: cancelledAt.sorted(),
    errors: errors.sorted(),
  };
}

/** Counts by key, labelled by the first label seen for the key, biggest first. */
class Counter {
  private readonly counts = new Map<string, OnboardingFunnelCountView>();

  add(key: string, label: string): void {
    const entry = this.counts.get(key) ?? { key, label, count: 0 };
    entry.count += 1;
    this.counts.set(key, entry);
  }

  sorted(): OnboardingFunnelCountView[] {
    return [...this.counts.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  }
}
