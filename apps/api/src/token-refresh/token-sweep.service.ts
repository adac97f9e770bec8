import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Clock } from '../common/clock/clock';
import { ApiConfig } from '../config/api-config';
import { TokenCheckService, type CheckOutcome } from './token-check.service';
import { TokenCheckRepository, type ClaimedConnection, type SweepScope } from './token-check.repository';
import type { TokenCheckCounts, TokenCheckTrigger } from './token-check-run.schema';
import { TokenCheckRunsRepository } from './token-check-runs.repository';

export interface SweepOptions {
  trigger: TokenCheckTrigger;
  dryRun?: boolean;
  accountId?: string;
  /** Credentials checked at the same time; TOKEN_CHECK_CONCURRENCY by default. */
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

/** Finished and expired claims are kept a day (a stale reader must still find them), then deleted. */
const CLAIM_HISTORY_MS = 24 * 60 * 60 * 1000;

const emptyCounts = (): TokenCheckCounts => ({ checked: 0, healthy: 0, extended: 0, needsReauth: 0, failed: 0, deferred: 0 });

/**
 * One sweep over the due credentials: workers claim one credential at a time (atomically, so
 * several instances split the work), check it, and move on. A rate limit on one WABA defers the
 * credentials serving that WABA until Meta's `estimated_time_to_regain_access`; the rest go on.
 */
@Injectable()
export class TokenSweepService {
  /** Names this process in claims and run records. */
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger(TokenSweepService.name);
  /** WABA id (or connection id when it serves none) → back off until; shared by this instance's sweeps. */
  private readonly backoffUntil = new Map<string, number>();

  constructor(
    private readonly repository: TokenCheckRepository,
    private readonly runs: TokenCheckRunsRepository,
    private readonly checker: TokenCheckService,
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
    let failure: string | null = null;
    try {
      if (!dryRun) {
        await this.repository.scheduleUnscheduled(started);
        await this.repository.deleteOldClaims(new Date(started.getTime() - CLAIM_HISTORY_MS));
        if (options.all) await this.repository.makeDue(scope, started);
      }
      const total = await this.repository.countDue(scope, started, dryRun && options.all);
      let done = 0;
      const count = (outcome: CheckOutcome | 'deferred') => {
        tally(counts, outcome);
        options.progress?.(++done, total);
      };
      if (dryRun) await this.dryRun(scope, started, options.all ?? false, concurrency, count);
      else await this.claimAndCheckAll(scope, concurrency, count);
    } catch (error) {
      failure = (error as Error).message;
      throw error;
    } finally {
      await this.runs.finish(runId, this.clock.now(), counts, failure).catch((error: Error) => this.logger.error(`Could not record token check run: ${error.message}`));
    }
    return { runId, instanceId: this.instanceId, dryRun, counts, durationMs: Date.now() - startedMs };
  }

  /**
   * `concurrency` workers fed from one queue of claimable credentials. A credential checked once
   * is no longer due, so the sweep ends when nothing claimable is left; one another instance won
   * is skipped for the rest of this sweep.
   */
  private async claimAndCheckAll(scope: SweepScope, concurrency: number, count: (outcome: CheckOutcome | 'deferred') => void): Promise<void> {
    const inFlight = new Set<string>();
    const lost = new Set<string>();
    const queue: Array<{ connection: ClaimedConnection; claimId: string }> = [];
    let exhausted = false;
    let refilling: Promise<void> | null = null;
    // Claims are taken a batch at a time (one insert): on FerretDB every write costs milliseconds,
    // and each read of the due list scans the collection.
    const refill = async () => {
      for (;;) {
        const now = this.clock.now();
        const batch = await this.repository.findClaimable(scope, now, concurrency * 4 + lost.size + 100, [...inFlight]);
        const fresh = shuffle(batch.filter((c) => !lost.has(c.id) && !inFlight.has(c.id))).slice(0, Math.min(200, concurrency * 5));
        if (fresh.length === 0) {
          exhausted = true;
          return;
        }
        const won = await this.repository.claimMany(fresh, this.instanceId, now, new Date(now.getTime() + this.config.TOKEN_CHECK_CLAIM_SECONDS * 1000));
        for (const connection of fresh) {
          const claimId = won.get(connection.id);
          if (!claimId) lost.add(connection.id);
          else {
            inFlight.add(connection.id);
            queue.push({ connection, claimId });
          }
        }
        if (won.size > 0) return;
      }
    };
    const next = async () => {
      while (queue.length === 0 && !exhausted) {
        refilling ??= refill().finally(() => (refilling = null));
        await refilling;
      }
      return queue.shift();
    };
    const worker = async () => {
      for (let item = await next(); item; item = await next()) {
        const { connection, claimId } = item;
        try {
          const backedOff = this.backoffOf(connection, this.clock.now().getTime());
          if (backedOff) {
            await this.repository.release(connection.id, claimId, new Date(backedOff));
            count('deferred');
          } else count(await this.checkOne(connection, claimId));
        } finally {
          inFlight.delete(connection.id);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** Dry run: reads the due credentials without claiming them and writes nothing. */
  private async dryRun(scope: SweepScope, now: Date, all: boolean, concurrency: number, count: (outcome: CheckOutcome | 'deferred') => void): Promise<void> {
    const source = this.repository.listDue(scope, now, all);
    const next = async (): Promise<ClaimedConnection | undefined> => (await source.next()).value ?? undefined;
    let reading = Promise.resolve<ClaimedConnection | undefined>(undefined);
    // One reader at a time on the cursor; checks themselves run `concurrency` wide.
    const take = () => (reading = reading.then(next));
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let connection = await take(); connection; connection = await take()) {
          count(this.backoffOf(connection, now.getTime()) ? 'deferred' : await this.checkOne(connection, '', true));
        }
      }),
    );
  }

  private async checkOne(connection: ClaimedConnection, claimId: string, dryRun = false): Promise<CheckOutcome> {
    const outcome = await this.checker.check(connection, claimId, { dryRun }).catch((error: Error): CheckOutcome => ({ kind: 'failed', reason: error.message }));
    if (outcome.kind === 'rate_limited') {
      const until = this.clock.now().getTime() + outcome.retryAfterMs;
      for (const key of backoffKeys(connection)) this.backoffUntil.set(key, Math.max(until, this.backoffUntil.get(key) ?? 0));
      if (!dryRun) await this.repository.release(connection.id, claimId, new Date(until));
    }
    if (outcome.kind === 'failed') this.logger.warn(`Token check of connection ${connection.id} failed, retried later: ${outcome.reason}`);
    return outcome;
  }

  /** When any WABA this credential serves is backed off, until when; 0 when it may be called. */
  private backoffOf(connection: ClaimedConnection, nowMs: number): number {
    const until = Math.max(0, ...backoffKeys(connection).map((key) => this.backoffUntil.get(key) ?? 0));
    return until > nowMs ? until : 0;
  }
}

/** Instances that start together would otherwise race for the same credentials first. */
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function backoffKeys(connection: ClaimedConnection): string[] {
  return connection.grantedWabaIds.length ? connection.grantedWabaIds.map((id) => `waba:${id}`) : [`connection:${connection.id}`];
}

function tally(counts: TokenCheckCounts, outcome: CheckOutcome | 'deferred'): void {
  if (outcome === 'deferred') return void counts.deferred++;
  switch (outcome.kind) {
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
    case 'rate_limited':
      counts.deferred++;
      return;
    case 'claim_lost':
      return;
  }
}
