import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, type Job, type Queue } from 'bullmq';
import { GroupCommit } from '../common/batching/group-commit';
import { Clock } from '../common/clock/clock';
import { isDatabaseUnavailable } from '../common/errors/all-exceptions.filter';
import { ApiConfig } from '../config/api-config';
import { pendingJobs, WEBHOOK_UPKEEP_QUEUE, WEBHOOKS_QUEUE, WORKER_OPTIONS } from '../jobs/job-queues';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import { RedisClient } from '../redis/redis.module';
import { APPLY_CONCURRENCY, WebhookApplication } from './webhook-application.service';
import { WebhooksRepository, type InboxRecord } from './webhooks.repository';

const APPLY_JOB = 'apply';
const RECONCILE_JOB = 'reconcile-inbox';
const REQUEUE_JOB = 'requeue-unroutable';
const RECONCILE_BATCH = 1000;
/** Retry delay while the database is down; such retries do not use up the job's attempts. */
const DATABASE_RETRY_MS = 2_000;

interface ApplyJobData {
  rawBody: string;
  sizeBytes: number;
  receivedAt: string;
  acceptId: string;
}
interface RequeueJobData {
  accountId: string;
  wabaId: string;
}

/**
 * Deliveries stored while jobs were being added wait this long at most to be added together:
 * at a steady 300/s each delivery is stored on its own, and was one Redis transaction of its own
 * (a round trip from the http process, and a wake-up of every worker).
 */
const ENQUEUE_SPACING_MS = 10;

/**
 * Turns stored deliveries into jobs (on every http instance). A job's id is the delivery's id
 * (the SHA-256 of its bytes), so a delivery is never queued twice. When Redis is away the
 * delivery stays in the inbox, and the reconciliation job queues it once Redis is back.
 */
@Injectable()
export class WebhookJobs implements OnApplicationShutdown {
  private readonly logger = new Logger(WebhookJobs.name);
  private warned = false;
  private readonly adding = new GroupCommit<InboxRecord, void>((entries) => this.addJobs(entries), { maxBatch: 500, maxConcurrentWrites: 1, spacingMs: ENQUEUE_SPACING_MS });

  constructor(
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue,
    @InjectQueue(WEBHOOK_UPKEEP_QUEUE) private readonly upkeep: Queue,
    private readonly redis: RedisClient,
  ) {}

  /** Queues the deliveries, with others stored meanwhile; never waits for Redis and never throws (the inbox is the record). */
  async enqueue(entries: InboxRecord[]): Promise<void> {
    await Promise.all(entries.map((entry) => this.adding.add(entry)));
  }

  /** Jobs still being added are added before the process stops; any left are the reconciliation's. */
  async onApplicationShutdown(): Promise<void> {
    await this.adding.settled();
  }

  private async addJobs(entries: InboxRecord[]): Promise<void[]> {
    try {
      // While Redis is away BullMQ would hold the jobs in memory until it is back; the inbox already holds them.
      if (!this.redis.ready) throw new Error('Redis is not connected');
      await this.queue.addBulk(entries.map((entry) => ({ name: APPLY_JOB, data: applyJobData(entry), opts: { jobId: entry._id } })));
      this.warned = false;
    } catch (error) {
      if (!this.warned) this.logger.warn(`Stored webhook deliveries will be queued by the reconciliation: ${(error as Error).message}`);
      this.warned = true;
    }
    return entries.map(() => undefined);
  }

  /** A WABA just got an owner: its deliveries kept as unroutable are applied now (by a worker). */
  async requeueUnroutable(accountId: string, wabaId: string): Promise<void> {
    await this.upkeep.add(REQUEUE_JOB, { accountId, wabaId } satisfies RequeueJobData).catch((error: Error) => {
      this.logger.warn(`Could not queue the re-application of WABA ${wabaId}'s unroutable deliveries: ${error.message}`);
    });
  }

  /** Deliveries queued, being applied or waiting for a retry (tests wait for 0; operators see the backlog). */
  pending(): Promise<number> {
    return pendingJobs(this.queue);
  }
}

/** The webhook worker (worker instances): applies deliveries, many at once in a few batches. */
@Processor(WEBHOOKS_QUEUE, { concurrency: APPLY_CONCURRENCY, ...WORKER_OPTIONS })
export class WebhookDeliveriesProcessor extends WorkerHost {
  constructor(private readonly application: WebhookApplication) {
    super();
  }

  async process(job: Job<ApplyJobData>, token?: string): Promise<void> {
    const delivery = { entry: inboxRecord(String(job.id), job.data), attempt: job.attemptsMade + 1 };
    try {
      await this.application.apply(delivery);
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        await job.moveToDelayed(Date.now() + DATABASE_RETRY_MS, token);
        throw new DelayedError();
      }
      if (delivery.attempt >= (job.opts.attempts ?? 1)) await this.application.setAside(delivery, error as Error);
      throw error;
    }
  }
}

/** The webhook path's upkeep (worker instances): the inbox reconciliation and re-applying unroutable deliveries. */
@Processor(WEBHOOK_UPKEEP_QUEUE, WORKER_OPTIONS)
export class WebhookUpkeepProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(WEBHOOK_UPKEEP_QUEUE) private readonly upkeep: Queue,
    private readonly jobs: WebhookJobs,
    private readonly repository: WebhooksRepository,
    private readonly numbers: PhoneNumbersService,
    private readonly clock: Clock,
    private readonly config: ApiConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    // Idempotent: every worker instance upserts the same scheduler; BullMQ runs it once per period.
    await this.upkeep.upsertJobScheduler(RECONCILE_JOB, { every: this.config.WEBHOOK_RECONCILE_INTERVAL_SECONDS * 1000 }, { name: RECONCILE_JOB });
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === RECONCILE_JOB) return this.reconcile();
    if (job.name === REQUEUE_JOB) return this.requeue(job.data as RequeueJobData);
    throw new Error(`Unknown webhook upkeep job ${job.name}`);
  }

  /**
   * Deliveries stored but never queued (a crash between the two, Redis down): queued now. Only
   * entries older than two periods, so one stored a moment ago and about to be queued is left alone.
   */
  private async reconcile(): Promise<{ queued: number }> {
    const cutoff = new Date(this.clock.now().getTime() - 2 * this.config.WEBHOOK_RECONCILE_INTERVAL_SECONDS * 1000);
    const stranded = await this.repository.inboxEntriesReceivedBefore(cutoff, RECONCILE_BATCH);
    // Jobs that still exist (waiting, active, delayed, failed) keep their id: adding them again is a no-op.
    await this.jobs.enqueue(stranded);
    return { queued: stranded.length };
  }

  private async requeue({ accountId, wabaId }: RequeueJobData): Promise<{ requeued: number }> {
    const numbers = await this.numbers.forTenant(accountId).numbersOfWaba(wabaId);
    const entries = await this.repository.requeueUnroutable([wabaId, ...numbers.map((n) => n.phoneNumberId)], this.clock.now());
    await this.jobs.enqueue(entries);
    return { requeued: entries.length };
  }
}

function applyJobData(entry: InboxRecord): ApplyJobData {
  return { rawBody: entry.rawBody, sizeBytes: entry.sizeBytes, receivedAt: entry.receivedAt.toISOString(), acceptId: entry.acceptId };
}

function inboxRecord(id: string, data: ApplyJobData): InboxRecord {
  return { _id: id, rawBody: data.rawBody, sizeBytes: data.sizeBytes, receivedAt: new Date(data.receivedAt), acceptId: data.acceptId };
}
