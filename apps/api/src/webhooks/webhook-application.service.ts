import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { GroupCommit } from '../common/batching/group-commit';
import { Clock } from '../common/clock/clock';
import { isDatabaseUnavailable } from '../common/errors/all-exceptions.filter';
import { MetricsService } from '../metrics/metrics.service';
import { IngestPressure } from './ingest-pressure';
import { WebhookApplier, type DeliveryPlan } from './webhook-applier.service';
import { parseWebhookBody } from '@waba/meta-graph';
import { WebhooksRepository, type ArchivedDelivery, type InboxRecord } from './webhooks.repository';

/** Deliveries applied together (one archive insert, one events insert; inbox deletes are grouped further). */
const BATCH_SIZE = 50;
/**
 * Batches applied at the same time by one worker. A batch is a few round trips one after another
 * (routing reads, archive, events, inbox), so one batch at a time capped a worker at about 50
 * deliveries per batch's latency (≈150/s on FerretDB), well below what the database can take.
 */
export const CONCURRENT_BATCHES = 4;
/** Jobs a worker runs at once: enough to fill every concurrent batch (webhook-jobs.ts). */
export const APPLY_CONCURRENCY = BATCH_SIZE * CONCURRENT_BATCHES;
/**
 * Applied entries leave the inbox in one statement per this many, one statement at a time: while
 * one runs, what the batches applied meanwhile waits for the next. On FerretDB every delete reads
 * the inbox (webhooks.repository.ts), so the fewer statements, the faster a backlog drains; jobs
 * do not wait for it, or a statement could never take more than APPLY_CONCURRENCY ids.
 */
export const INBOX_DELETE_BATCH = 1000;
/**
 * A short delete statement starts at least this long after the previous one: each reads the whole
 * inbox on FerretDB, so at 300/s fewer, larger ones leave more to the endpoint (50-status batches,
 * tools/bench/webhooks.ts: p99 106-108 ms against 137-177 ms with none). Applying is not delayed,
 * only the clean-up after it.
 */
const INBOX_DELETE_SPACING_MS = 500;
/** How long applying waits for this process's endpoint to be idle before it goes ahead anyway. */
const MAX_YIELD_MS = 100;
/** How long a batch waits while an endpoint on any instance is saturated (ingest-pressure.ts). */
const MAX_SATURATED_YIELD_MS = 10_000;

/**
 * Applies stored deliveries. Each delivery is a BullMQ job (webhook-jobs.ts); the jobs a worker
 * runs at the same time are applied together in one batch, so the database sees a few writes per
 * batch rather than per delivery. Applying is idempotent: the archive tells a resumed delivery
 * (same acceptance, e.g. after a crash) from a true duplicate (same bytes accepted again).
 */
@Injectable()
export class WebhookApplication implements OnApplicationShutdown {
  private readonly logger = new Logger(WebhookApplication.name);
  private readonly batches = new GroupCommit<AppliedDelivery, Error | null>((deliveries) => this.applyBatch(deliveries), { maxBatch: BATCH_SIZE, maxConcurrentWrites: CONCURRENT_BATCHES });
  private readonly inboxDeletes = new GroupCommit<string, void>((ids) => this.repository.deleteInboxEntries(ids).then(() => ids.map(() => undefined)), {
    maxBatch: INBOX_DELETE_BATCH,
    maxConcurrentWrites: 1,
    spacingMs: INBOX_DELETE_SPACING_MS,
  });
  private endpointBusy: () => boolean = () => false;
  private lastDeleteFailure: Error | null = null;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly applier: WebhookApplier,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    private readonly pressure: IngestPressure,
  ) {}

  /** Applying gives way (up to MAX_YIELD_MS per batch) while this says the endpoint is busy storing. */
  yieldTo(busy: () => boolean): void {
    this.endpointBusy = busy;
  }

  /** Resolves once the delivery is applied (or found a duplicate); rejects to have the job retried. */
  async apply(delivery: AppliedDelivery): Promise<void> {
    const error = await this.batches.add(delivery);
    if (error) throw error;
  }

  /** The last attempt failed too: archived as rejected for operators, and out of the inbox. */
  async setAside(delivery: AppliedDelivery, error: Error): Promise<void> {
    this.logger.error({ err: error, delivery: delivery.entry._id }, 'A webhook delivery could not be applied');
    const record: ArchivedDelivery = { ...archiveRecord(delivery.entry, null, this.clock.now(), delivery.attempt), error: `Applying failed ${delivery.attempt} times: ${error.message}` };
    if (!(await this.repository.archiveDeliveries([record]))[0]) await this.repository.updateArchivedOutcome(delivery.entry._id, record);
    await this.repository.deleteInboxEntries([delivery.entry._id]);
    this.metrics.webhookDelivery('rejected');
  }

  /**
   * The batch together; when that fails for a reason other than the database, one by one, so one
   * bad delivery only fails its own job. A database outage fails the whole batch (retried later).
   */
  private async applyBatch(deliveries: AppliedDelivery[]): Promise<Array<Error | null>> {
    await this.giveWay();
    try {
      await this.applyTogether(deliveries);
      return deliveries.map(() => null);
    } catch (error) {
      if (isDatabaseUnavailable(error) || deliveries.length === 1) throw error;
      const results: Array<Error | null> = [];
      for (const delivery of deliveries) {
        results.push(
          await this.applyTogether([delivery]).then(
            () => null,
            (single: Error) => single,
          ),
        );
      }
      return results;
    }
  }

  private async applyTogether(deliveries: AppliedDelivery[]): Promise<void> {
    const routes = this.applier.routes();
    const now = this.clock.now();
    const planned = await Promise.all(
      deliveries.map(async ({ entry, attempt }) => {
        const envelope = parseWebhookBody(entry.rawBody);
        const plan = envelope ? await this.applier.plan(envelope, entry._id, routes) : null;
        return { entry, plan, record: archiveRecord(entry, plan, now, attempt) };
      }),
    );
    const archived = await this.repository.archiveDeliveries(planned.map((p) => p.record));
    const toApply: DeliveryPlan[] = [];
    const outcomes: Array<{ entry: InboxRecord; outcome: 'applied' | 'unroutable' | 'duplicate' }> = [];
    for (const [i, { entry, plan, record }] of planned.entries()) {
      if (!archived[i]) {
        // These bytes were archived before: by this same acceptance (a crash, requeue or replay: go on), or it is a duplicate.
        const stored = await this.repository.archivedOutcome(entry._id);
        if (stored?.acceptId !== entry.acceptId) {
          outcomes.push({ entry, outcome: 'duplicate' });
          continue;
        }
        // An unchanged outcome is not written again, so re-applying an applied delivery changes nothing.
        if (stored.status !== record.status || stored.unroutableIds.join() !== record.unroutableIds.join()) await this.repository.updateArchivedOutcome(entry._id, record);
      }
      if (plan) toApply.push(plan);
      if (record.status === 'applied' || record.status === 'unroutable') outcomes.push({ entry, outcome: record.status });
    }
    await this.applier.execute(toApply);
    // Applied means archived with its events written. Leaving the inbox is upkeep: an entry whose
    // delete fails, or is still waiting when the process dies, is queued again by the
    // reconciliation (webhook-jobs.ts), and applying it again finds it archived and changes nothing.
    for (const { entry } of deliveries) void this.inboxDeletes.add(entry._id).catch((error: Error) => this.deleteFailed(error));
    // Counted once the batch is through: a batch that fails is retried and counted then.
    const appliedAt = this.clock.now().getTime();
    for (const { entry, outcome } of outcomes) this.metrics.webhookApplied(outcome, (appliedAt - entry.receivedAt.getTime()) / 1000);
  }

  /** Deletes still waiting are written before the process stops (best effort, see applyTogether). */
  async onApplicationShutdown(): Promise<void> {
    await this.inboxDeletes.settled();
  }

  /** One warning per failed statement (each of its entries reports the same error). */
  private deleteFailed(error: Error): void {
    if (error === this.lastDeleteFailure) return;
    this.lastDeleteFailure = error;
    this.logger.warn(`Applied webhook deliveries stay in the inbox until the reconciliation: ${error.message}`);
  }

  /** Waits while deliveries are being stored (answering Meta comes first), but not forever. */
  private async giveWay(): Promise<void> {
    const until = Date.now() + MAX_YIELD_MS;
    await nextTurn();
    while (this.endpointBusy() && Date.now() < until) await sleep(2);
    const saturatedUntil = Date.now() + MAX_SATURATED_YIELD_MS;
    while ((await this.pressure.isSaturated()) && Date.now() < saturatedUntil) await sleep(50);
  }
}

/** A stored delivery and which attempt at applying it this is (1 = first). */
export interface AppliedDelivery {
  entry: InboxRecord;
  attempt: number;
}

/** The archive's record of an entry, with the outcome its plan gives (no plan: not a JSON object). */
export function archiveRecord(entry: InboxRecord, plan: DeliveryPlan | null, appliedAt: Date | null, attempts = 1): ArchivedDelivery {
  const unroutableIds = plan?.unroutableIds ?? [];
  return {
    bodySha256: entry._id,
    acceptId: entry.acceptId,
    rawBody: entry.rawBody,
    sizeBytes: entry.sizeBytes,
    receivedAt: entry.receivedAt,
    attempts,
    status: !plan ? 'rejected' : unroutableIds.length ? 'unroutable' : 'applied',
    error: !plan ? 'The body is not a JSON object' : unroutableIds.length ? `No tenant owns ${unroutableIds.join(', ')}` : null,
    unroutableIds,
    appliedAt,
  };
}
