import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job, QueueEvents, UnrecoverableError, Worker, type Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Clock } from '../common/clock/clock';
import { isDatabaseUnavailable } from '../common/errors/all-exceptions.filter';
import { ApiConfig } from '../config/api-config';
import { storedJobStates, TOKEN_CHECKS_QUEUE, WORKER_OPTIONS } from '../jobs/job-queues';
import { RedisClient } from '../redis/redis.module';
import { nextCheckAfterFailure } from '../credentials/check-schedule';
import { TokenCheckService, type CheckOutcome } from './token-check.service';
import { CredentialChecksService, type CheckedConnection, type SweepScope } from '../credentials/credential-checks.service';
import { TokenCheckRunsRepository } from './token-check-runs.repository';
import { WabaBackoff } from './waba-backoff';
import { CheckJobWatch, type CheckJobResult, type Deferral } from './check-job-watch';

/** Names this process in run records and in what its check jobs return. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

const SWEEP_JOB = 'sweep';
const CHECK_JOB = 'check';
const SWEEP_SCHEDULER_ID = 'token-sweep';
/** Check jobs are added this many per `addBulk` (one round trip each). */
const ADD_CHUNK = 500;
/** Retry delay while the database is down; such retries do not use up the job's attempts. */
const DATABASE_RETRY_MS = 2_000;

interface CheckJobData {
  connectionId: string;
  /** The `nextCheckAt` (ms) this job checks for; the job id carries it too. */
  dueAt: number;
  /**
   * The credential as the sweep read it (the token encrypted, as stored), so that the first run
   * reads nothing: a read is a round trip, and on FerretDB v1 on PostgreSQL without the launcher's
   * equality indexes even a read by `_id` grows with the collection (≈7 ms at 10 000).
   * Later runs (retry, after a deferral or a crash) read it afresh.
   */
  credential: StoredCredential;
}

/** A CheckedConnection as JSON (dates as ms). */
type StoredCredential = Omit<CheckedConnection, 'expiresAt' | 'nextCheckAt' | 'lastCheckedAt'> & { expiresAt: number | null; nextCheckAt: number | null; lastCheckedAt: number | null };

/**
 * Due credentials become check jobs, one per credential and due time: the job id is
 * `<connectionId>-<nextCheckAt ms>`, and BullMQ ignores an add whose id exists, so scheduled and
 * manual sweeps on any number of processes never queue the same check twice.
 */
@Injectable()
export class TokenCheckJobs {
  constructor(
    @InjectQueue(TOKEN_CHECKS_QUEUE) readonly queue: Queue,
    private readonly repository: CredentialChecksService,
    private readonly runs: TokenCheckRunsRepository,
    private readonly clock: Clock,
    private readonly redis: RedisClient,
  ) {}

  /** Queues a check job for every credential due at `now`; returns their job ids. */
  async enqueueDue(scope: SweepScope, now: Date): Promise<string[]> {
    await this.repository.scheduleUnscheduled(now);
    const ids: string[] = [];
    for await (const page of this.repository.dueCredentials(scope, now)) {
      for (let i = 0; i < page.length; i += ADD_CHUNK) {
        const chunk = page.slice(i, i + ADD_CHUNK);
        const jobs = chunk.map(checkJob);
        await this.queue.addBulk(jobs);
        ids.push(...jobs.map((job) => job.opts.jobId));
        await this.recordUnrecordedFailures(
          chunk,
          jobs.map((job) => job.opts.jobId),
          now,
        );
      }
    }
    return ids;
  }

  /**
   * A job that failed without the check writing its failure (it stalled out: its workers died
   * holding it, WORKER_OPTIONS.maxStalledCount) keeps its id for a week, so an add for that due
   * time is ignored: the failure is written here, which moves the credential to a new due time.
   */
  private async recordUnrecordedFailures(due: CheckedConnection[], ids: string[], now: Date): Promise<void> {
    const states = await storedJobStates(this.queue, this.redis.connection, ids);
    for (const [i, state] of states.entries()) {
      if (state !== 'failed') continue;
      const reason = (await Job.fromId(this.queue, ids[i]))?.failedReason ?? 'the check job failed';
      await this.repository.recordFailure(due[i].id, reason, nextCheckAfterFailure(due[i].checkFailures + 1, now));
    }
  }

  /** The scheduled sweep: queues what is due; the checks themselves are their own jobs. */
  async sweepBySchedule(): Promise<{ queued: number }> {
    const startedAt = this.clock.now();
    const queued = (await this.enqueueDue({}, startedAt)).length;
    // Sweeps that found nothing due (most minutes) are not worth a record.
    if (queued) await this.runs.record({ trigger: 'schedule', instanceId: INSTANCE_ID, dryRun: false, accountId: null, startedAt, finishedAt: this.clock.now(), queued });
    return { queued };
  }

  async upsertSchedule(everySeconds: number): Promise<void> {
    // Idempotent: every worker upserts the same scheduler; BullMQ runs it once per period.
    await this.queue.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: everySeconds * 1000 }, { name: SWEEP_JOB });
  }

  async removeSchedule(): Promise<void> {
    await this.queue.removeJobScheduler(SWEEP_SCHEDULER_ID);
  }

  /** Follows check jobs to their end, through QueueEvents on the same Redis and prefix as the queue. */
  async watch(): Promise<CheckJobWatch> {
    const events = new QueueEvents(TOKEN_CHECKS_QUEUE, { connection: this.queue.opts.connection, prefix: this.queue.opts.prefix });
    await events.waitUntilReady();
    return new CheckJobWatch(this.queue, events, this.redis.connection);
  }
}

function checkJob(due: CheckedConnection) {
  const dueAt = (due.nextCheckAt as Date).getTime();
  const credential: StoredCredential = { ...due, expiresAt: ms(due.expiresAt), nextCheckAt: dueAt, lastCheckedAt: ms(due.lastCheckedAt) };
  return { name: CHECK_JOB, data: { connectionId: due.id, dueAt, credential } satisfies CheckJobData, opts: { jobId: `${due.id}-${dueAt}` } };
}

const ms = (date: Date | null) => date?.getTime() ?? null;
const date = (ms: number | null) => (ms === null ? null : new Date(ms));

function fromStored(stored: StoredCredential): CheckedConnection {
  return { ...stored, expiresAt: date(stored.expiresAt), nextCheckAt: date(stored.nextCheckAt), lastCheckedAt: date(stored.lastCheckedAt) };
}

/**
 * Runs token-check jobs, for the queue's processor (worker instances) and for the worker a manual
 * run starts for itself (TokenSweepService). Timeouts and 5xx are retried by BullMQ's back-off
 * (job-queues.ts); the failure is written to the credential only once no attempt is left.
 */
@Injectable()
export class TokenCheckRunner {
  private readonly logger = new Logger(TokenCheckRunner.name);

  constructor(
    private readonly jobs: TokenCheckJobs,
    private readonly repository: CredentialChecksService,
    private readonly checker: TokenCheckService,
    private readonly backoff: WabaBackoff,
  ) {}

  process(job: Job, token?: string): Promise<unknown> {
    if (job.name === SWEEP_JOB) return this.jobs.sweepBySchedule();
    if (job.name === CHECK_JOB) return this.check(job as Job<CheckJobData>, token);
    throw new Error(`Unknown token check job ${job.name}`);
  }

  /** A worker of this process on the token-check queue, `concurrency` jobs at a time; close it when done. */
  startWorker(concurrency: number): Worker {
    const { connection, prefix } = this.jobs.queue.opts;
    const worker = new Worker(TOKEN_CHECKS_QUEUE, (job, token) => this.process(job, token), { connection, prefix, concurrency, ...WORKER_OPTIONS });
    worker.on('error', (error) => this.logger.warn(`Token check worker: ${error.message}`));
    return worker;
  }

  private async check(job: Job<CheckJobData>, token?: string): Promise<CheckJobResult> {
    try {
      const fromSweep = job.attemptsStarted <= 1 && job.data.credential !== undefined;
      const connection = fromSweep ? fromStored(job.data.credential) : await this.repository.findCheckable(job.data.connectionId);
      // Checked for this due time already (a worker died after writing), rescheduled, or no longer checked.
      if (!connection || connection.nextCheckAt?.getTime() !== job.data.dueAt) return { kind: 'not_due', checkedBy: INSTANCE_ID };
      const backedOff = await this.backoff.until(connection);
      if (backedOff) return await this.defer(job, token, backedOff);
      const outcome = await this.checker.check(connection, { dryRun: false }).catch((error: Error): CheckOutcome => {
        if (isDatabaseUnavailable(error)) throw error;
        return { kind: 'failed', reason: `unexpected error: ${error.message}`, retryable: true };
      });
      if (outcome.kind === 'rate_limited') return await this.defer(job, token, await this.backoff.backOff(connection, outcome.retryAfterMs));
      if (outcome.kind === 'failed') {
        const attempt = job.attemptsMade + 1;
        // A token the sweep read may have been re-encrypted since (cli.js keys rotate): the retry reads it afresh.
        const last = (!outcome.retryable && !fromSweep) || attempt >= (job.opts.attempts ?? 1);
        this.logger.warn(`Token check of connection ${connection.id} failed (attempt ${attempt}${last ? ', not retried' : ''}): ${outcome.reason}`);
        if (!last) throw new Error(outcome.reason);
        await this.checker.recordFailure(connection, outcome.reason);
        throw new UnrecoverableError(outcome.reason);
      }
      return { kind: outcome.kind, checkedBy: INSTANCE_ID };
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      await job.moveToDelayed(Date.now() + DATABASE_RETRY_MS, token);
      throw new DelayedError();
    }
  }

  /** Waits out a rate limit without calling Meta, and without using up an attempt. */
  private async defer(job: Job<CheckJobData>, token: string | undefined, until: number): Promise<never> {
    await job.updateProgress({ deferredUntil: until } satisfies Deferral);
    await job.moveToDelayed(until, token);
    throw new DelayedError();
  }
}

/** The token-check worker (worker instances), and the sweep's schedule when TOKEN_CHECK_ENABLED. */
@Processor(TOKEN_CHECKS_QUEUE, WORKER_OPTIONS)
export class TokenChecksProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly runner: TokenCheckRunner,
    private readonly jobs: TokenCheckJobs,
    private readonly config: ApiConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    // The decorator's options are static; the concurrency comes from configuration.
    this.worker.concurrency = this.config.TOKEN_CHECK_CONCURRENCY;
    // Turned off, the schedule is removed, so that turning it off everywhere stops it.
    if (this.config.TOKEN_CHECK_ENABLED) await this.jobs.upsertSchedule(this.config.TOKEN_CHECK_INTERVAL_SECONDS);
    else await this.jobs.removeSchedule();
  }

  process(job: Job, token?: string): Promise<unknown> {
    return this.runner.process(job, token);
  }
}
