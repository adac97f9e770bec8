import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { ApiConfig } from '../config/api-config';
import type { CheckJobEnd } from './check-job-watch';
import { INSTANCE_ID, TokenCheckJobs, TokenCheckRunner } from './token-check-jobs';
import { TokenCheckService, type CheckOutcome } from './token-check.service';
import { CredentialChecksService, type CheckedConnection, type SweepScope } from '../credentials/credential-checks.service';
import type { TokenCheckCounts, TokenCheckTrigger } from './token-check-run.schema';
import { TokenCheckRunsRepository } from './token-check-runs.repository';
import { WabaBackoff } from './waba-backoff';

export interface SweepOptions {
  trigger: TokenCheckTrigger;
  dryRun?: boolean;
  accountId?: string;
  /** Checks this run's own worker runs at the same time; TOKEN_CHECK_CONCURRENCY by default. */
  concurrency?: number;
  /** Check every credential in scope now, not only those due. */
  all?: boolean;
  /** Called after each credential with how many are done of how many were due at the start. */
  progress?: (done: number, total: number) => void;
}

export interface SweepSummary {
  runId: string;
  instanceId: string;
  dryRun: boolean;
  counts: TokenCheckCounts;
  durationMs: number;
}

const emptyCounts = (): TokenCheckCounts => ({ checked: 0, healthy: 0, extended: 0, needsReauth: 0, failed: 0, deferred: 0 });

/**
 * The token check on demand (`cli.js tokens check`). A real run queues the same check jobs as the
 * schedule (token-check-jobs.ts), runs a worker of its own while it waits, so it works without
 * any worker instance, and counts what each job returned, whoever ran it. A credential whose WABA
 * is rate-limited is counted deferred: its job waits the limit out after the run has ended.
 * A dry run makes no jobs and writes nothing.
 */
@Injectable()
export class TokenSweepService {
  readonly instanceId = INSTANCE_ID;
  private readonly logger = new Logger(TokenSweepService.name);

  constructor(
    private readonly jobs: TokenCheckJobs,
    private readonly runner: TokenCheckRunner,
    private readonly repository: CredentialChecksService,
    private readonly runs: TokenCheckRunsRepository,
    private readonly checker: TokenCheckService,
    private readonly backoff: WabaBackoff,
    private readonly config: ApiConfig,
    private readonly clock: Clock,
  ) {}

  async sweep(options: SweepOptions): Promise<SweepSummary> {
    const dryRun = options.dryRun ?? false;
    const scope: SweepScope = { accountId: options.accountId };
    const concurrency = Math.max(1, options.concurrency ?? this.config.TOKEN_CHECK_CONCURRENCY);
    const started = this.clock.now();
    const startedMs = Date.now();
    const counts = emptyCounts();
    const runId = await this.runs.start({ trigger: options.trigger, instanceId: this.instanceId, dryRun, accountId: options.accountId ?? null, startedAt: started, counts });
    let queued = 0;
    let failure: string | null = null;
    try {
      if (dryRun) await this.dryRun(scope, started, options, concurrency, counts);
      else queued = await this.checkNow(scope, started, options, concurrency, counts);
    } catch (error) {
      failure = (error as Error).message;
      throw error;
    } finally {
      await this.runs.finish(runId, this.clock.now(), counts, queued, failure).catch((error: Error) => this.logger.error(`Could not record token check run: ${error.message}`));
    }
    return { runId, instanceId: this.instanceId, dryRun, counts, durationMs: Date.now() - startedMs };
  }

  /** Queues the due checks and waits for every one of them; returns how many it queued. */
  private async checkNow(scope: SweepScope, now: Date, options: SweepOptions, concurrency: number, counts: TokenCheckCounts): Promise<number> {
    if (options.all) await this.repository.makeDue(scope, now);
    // Listening before queueing: no job can end unseen.
    const watch = await this.jobs.watch();
    const worker = this.runner.startWorker(concurrency);
    try {
      const ids = await this.jobs.enqueueDue(scope, now);
      let done = 0;
      await watch.waitFor(ids, (end) => {
        tallyEnd(counts, end);
        options.progress?.(++done, ids.length);
      });
      return ids.length;
    } finally {
      await worker.close();
      await watch.close();
    }
  }

  /** Reads the due credentials and asks Meta, `concurrency` at a time; writes nothing, queues nothing. */
  private async dryRun(scope: SweepScope, now: Date, options: SweepOptions, concurrency: number, counts: TokenCheckCounts): Promise<void> {
    const all = options.all ?? false;
    const total = await this.repository.countDue(scope, now, all);
    const source = this.repository.listDue(scope, now, all);
    const next = async (): Promise<CheckedConnection | undefined> => (await source.next()).value ?? undefined;
    let reading = Promise.resolve<CheckedConnection | undefined>(undefined);
    // One reader at a time on the cursor; checks themselves run `concurrency` wide.
    const take = () => (reading = reading.then(next));
    // Rate limits met during this dry run hold its later calls to the same WABA back (in memory only).
    const limited = new Set<string>();
    let done = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let connection = await take(); connection; connection = await take()) {
          const keys = connection.grantedWabaIds.length ? connection.grantedWabaIds : [connection.id];
          const deferred = keys.some((key) => limited.has(key)) || (await this.backoff.until(connection)) > 0;
          const outcome = deferred ? null : await this.checker.check(connection, { dryRun: true }).catch((error: Error): CheckOutcome => ({ kind: 'failed', reason: error.message, retryable: true }));
          if (outcome?.kind === 'rate_limited') keys.forEach((key) => limited.add(key));
          tallyOutcome(counts, outcome);
          options.progress?.(++done, total);
        }
      }),
    );
  }
}

function tallyEnd(counts: TokenCheckCounts, end: CheckJobEnd): void {
  switch (end.kind) {
    case 'deferred':
      counts.deferred++;
      return;
    case 'failed':
      counts.checked++;
      counts.failed++;
      return;
    case 'not_due':
      return;
    default:
      tallyOutcome(counts, { kind: end.kind } as CheckOutcome);
  }
}

/** `null`: left for later without calling Meta. */
function tallyOutcome(counts: TokenCheckCounts, outcome: CheckOutcome | null): void {
  switch (outcome?.kind) {
    case undefined:
    case 'rate_limited':
      counts.deferred++;
      return;
    case 'healthy':
      counts.checked++;
      counts.healthy++;
      return;
    case 'extended':
      counts.checked++;
      counts.extended++;
      return;
    case 'needs_reauth':
      counts.checked++;
      counts.needsReauth++;
      return;
    case 'failed':
      counts.checked++;
      counts.failed++;
      return;
  }
}
