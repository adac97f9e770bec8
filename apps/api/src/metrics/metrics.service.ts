import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { ConnectionStatus } from '@waba/contracts';
import type { GraphAttempt } from '@waba/meta-graph';
import { collectDefaultMetrics, register, type Counter, type Gauge, type Histogram } from 'prom-client';
import { ApiConfig } from '../config/api-config';
import { METRIC } from './metric-definitions';

export type WebhookOutcome = 'received' | 'invalid_signature' | 'duplicate' | 'rejected' | 'unroutable' | 'applied';
export type OnboardingFlow = 'embedded_signup' | 'oauth' | 'import' | 'manual_add';
export type ExpiryBucket = 'expired' | '1d' | '7d' | '30d' | '60d' | 'later' | 'never';
export const EXPIRY_BUCKETS: ReadonlyArray<{ bucket: ExpiryBucket; withinDays: number }> = [
  { bucket: '1d', withinDays: 1 },
  { bucket: '7d', withinDays: 7 },
  { bucket: '30d', withinDays: 30 },
  { bucket: '60d', withinDays: 60 },
];
/** Every state is exported, zeros included, so a dashboard's series never vanish (the Record keeps the list complete). */
const STATUS_KEYS: Record<ConnectionStatus, true> = { active: true, expiring: true, needs_reauth: true, revoked: true };
const CONNECTION_STATUSES = Object.keys(STATUS_KEYS) as ConnectionStatus[];

/** Reads a gauge's current values from where they live (database, Redis) just before a scrape. */
export type ScrapeCollector = () => Promise<void>;

/**
 * The small surface other modules record metrics through; names and labels live in
 * metric-definitions.ts. Values that are state, not events (credentials, queue depths), are read
 * at scrape time by collectors the owning modules register, so nothing polls between scrapes.
 */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger(MetricsService.name);
  private readonly collectors = new Map<string, ScrapeCollector>();

  constructor(
    private readonly config: ApiConfig,
    @InjectMetric(METRIC.webhookDeliveries) private readonly webhookDeliveries: Counter<'outcome'>,
    @InjectMetric(METRIC.webhookIngestSeconds) private readonly webhookIngestSeconds: Histogram,
    @InjectMetric(METRIC.webhookApplyDelaySeconds) private readonly webhookApplyDelaySeconds: Histogram<'outcome'>,
    @InjectMetric(METRIC.graphRequests) private readonly graphRequests: Counter<'endpoint' | 'outcome' | 'code'>,
    @InjectMetric(METRIC.graphRequestSeconds) private readonly graphRequestSeconds: Histogram<'endpoint' | 'outcome'>,
    @InjectMetric(METRIC.credentials) private readonly credentials: Gauge<'status'>,
    @InjectMetric(METRIC.credentialsByExpiry) private readonly credentialsByExpiry: Gauge<'expires_in'>,
    @InjectMetric(METRIC.onboardingAttempts) private readonly onboardingAttempts: Counter<'flow' | 'step' | 'outcome'>,
    @InjectMetric(METRIC.queueJobs) private readonly queueJobs: Gauge<'queue' | 'state'>,
    @InjectMetric(METRIC.queueJobFailures) private readonly queueJobFailures: Counter<'queue'>,
    @InjectMetric(METRIC.queueJobSeconds) private readonly queueJobSeconds: Histogram<'queue' | 'outcome'>,
    @InjectMetric(METRIC.socketConnections) private readonly socketConnections: Gauge,
  ) {
    // Process metrics (CPU, memory, event loop lag) once per process: the registry is process-wide.
    if (!register.getSingleMetric('waba_process_cpu_seconds_total')) collectDefaultMetrics({ prefix: 'waba_' });
    register.setDefaultLabels({ role: config.INSTANCE_ROLE });
  }

  webhookDelivery(outcome: WebhookOutcome, count = 1): void {
    if (count > 0) this.webhookDeliveries.inc({ outcome }, count);
  }

  webhookIngested(seconds: number): void {
    this.webhookIngestSeconds.observe(seconds);
  }

  webhookApplied(outcome: 'applied' | 'unroutable' | 'duplicate', delaySeconds: number): void {
    this.webhookDelivery(outcome);
    this.webhookApplyDelaySeconds.observe({ outcome }, Math.max(0, delaySeconds));
  }

  /** The Graph client's observer (meta/meta.module.ts). */
  graphAttempt(attempt: GraphAttempt): void {
    const { endpoint, outcome } = attempt;
    this.graphRequests.inc({ endpoint, outcome, code: attempt.code === undefined ? '' : String(attempt.code) });
    this.graphRequestSeconds.observe({ endpoint, outcome }, attempt.durationMs / 1000);
  }

  /** Runs one onboarding step and counts it: `failed` when it throws, else what `outcomeOf` says (`succeeded`). */
  async onboarding<T>(flow: OnboardingFlow, step: 'consent' | 'confirm' | 'connect', run: () => Promise<T>, outcomeOf: (result: T) => string = () => 'succeeded'): Promise<T> {
    try {
      const result = await run();
      this.onboardingAttempts.inc({ flow, step, outcome: outcomeOf(result) });
      return result;
    } catch (error) {
      this.onboardingAttempts.inc({ flow, step, outcome: 'failed' });
      throw error;
    }
  }

  jobFinished(queue: string, outcome: 'completed' | 'failed', seconds: number | undefined): void {
    if (outcome === 'failed') this.queueJobFailures.inc({ queue });
    if (seconds !== undefined) this.queueJobSeconds.observe({ queue, outcome }, Math.max(0, seconds));
  }

  queueDepth(queue: string, counts: Record<string, number>): void {
    for (const [state, count] of Object.entries(counts)) this.queueJobs.set({ queue, state }, count);
  }

  credentialCounts(byStatus: Partial<Record<ConnectionStatus, number>>, byExpiry: Record<ExpiryBucket, number>): void {
    for (const status of CONNECTION_STATUSES) this.credentials.set({ status }, byStatus[status] ?? 0);
    for (const [bucket, count] of Object.entries(byExpiry)) this.credentialsByExpiry.set({ expires_in: bucket }, count);
  }

  socketOpened(): void {
    this.socketConnections.inc();
  }

  socketClosed(): void {
    this.socketConnections.dec();
  }

  /** A module's gauges, read just before each scrape (registered once, by name). */
  onScrape(name: string, collect: ScrapeCollector): void {
    this.collectors.set(name, collect);
  }

  get contentType(): string {
    return register.contentType;
  }

  /**
   * The exposition text. Collectors that fail or take longer than DATABASE_TIMEOUT_MS (database or
   * Redis down) leave their gauges at the last values read; the scrape still answers.
   */
  async scrape(): Promise<string> {
    await Promise.all([...this.collectors].map(([name, collect]) => this.collectWithin(name, collect)));
    return register.metrics();
  }

  private async collectWithin(name: string, collect: ScrapeCollector): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${this.config.DATABASE_TIMEOUT_MS} ms`)), this.config.DATABASE_TIMEOUT_MS)));
    try {
      await Promise.race([collect(), timeout]);
    } catch (error) {
      this.logger.warn(`Metrics: ${name} kept its last values (${(error as Error).message})`);
    } finally {
      clearTimeout(timer);
    }
  }
}
