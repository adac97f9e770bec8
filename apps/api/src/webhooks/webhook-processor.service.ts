import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { Clock } from '../common/clock/clock';
import { isDatabaseUnavailable } from '../common/errors/all-exceptions.filter';
import { DomainEvents } from '../common/events/domain-events';
import { PhoneNumbersRepository } from '../phone-numbers/phone-numbers.repository';
import { WebhookApplier, type DeliveryPlan } from './webhook-applier.service';
import { parseWebhookEnvelope } from './webhook-payloads';
import { WebhooksRepository, type ArchivedDelivery, type InboxRecord } from './webhooks.repository';

const HEARTBEAT_MS = 5_000;
/** A worker silent this long is dead: a live one takes over its inbox entries. */
const STALE_MS = 20_000;
/** Deliveries applied together (one archive insert, one events insert), by count and by size. */
const BATCH_SIZE = 50;
const BATCH_BYTES = 8 * 1024;
/** How long applying waits for the endpoint to be idle before it goes ahead anyway. */
const MAX_YIELD_MS = 100;
/** Bodies kept in memory; beyond this, entries wait in the database and are read back in turn. */
const MAX_HELD_BYTES = 64 * 1024 * 1024;
/** Entries read back from the database at a time. */
const BACKLOG_READ = 500;
/** A delivery that fails this often for a reason other than the database is set aside for operators. */
const MAX_ATTEMPTS = 5;
const RETRY_MS = 1_000;

/**
 * Applies inbox entries after the 200. Every API instance is a worker: it applies the entries it
 * stored itself, in batches and in memory (no query per delivery), and heartbeats; when a worker
 * falls silent (crash, kill), one live worker takes over its entries. Applying is idempotent, so a
 * resumed entry is harmless, and the archive tells a resumed entry from a true duplicate.
 */
@Injectable()
export class WebhookProcessor implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhookProcessor.name);
  private worker = newWorkerId();
  private registered = false;
  /** Entries waiting in memory, oldest first; `held` also counts the batch being applied. */
  private readonly queue: HeldGroup[] = [];
  private readonly held = new Set<string>();
  private heldBytes = 0;
  /** Some of our entries are only in the database (memory was full, a takeover, a requeue). */
  private backlogInDatabase = false;
  private draining: Promise<void> | null = null;
  private stopped = false;
  private endpointBusy: () => boolean = () => false;
  private timer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly applier: WebhookApplier,
    private readonly clock: Clock,
    private readonly domainEvents: DomainEvents,
    private readonly numbers: PhoneNumbersRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), HEARTBEAT_MS);
    this.timer.unref();
    this.domainEvents.on('waba.connected', ({ accountId, wabaId }) => void this.requeueFor(accountId, wabaId));
    await this.tick();
  }

  /** Stops applying; the entries still waiting are left to the other workers at once. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.retryTimer);
    await this.draining;
    if (this.registered) await this.repository.heartbeat(this.worker, new Date(0)).catch(() => undefined);
  }

  /** The owner to stamp on new inbox entries; null until this worker is registered (answer 503). */
  get workerId(): string | null {
    return this.registered && !this.stopped ? this.worker : null;
  }

  /** Entries this worker just stored in one insert: applied soon, without reading them back. */
  accept(flush: string, entries: InboxRecord[]): void {
    if (!entries.length) return;
    if (this.heldBytes >= MAX_HELD_BYTES) this.backlogInDatabase = true;
    else this.hold({ flush, entries });
    this.wake();
  }

  /** Applying gives way (up to MAX_YIELD_MS per batch) while this says the endpoint is busy. */
  yieldTo(busy: () => boolean): void {
    this.endpointBusy = busy;
  }

  /** Resolves when everything held right now has been applied (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private hold(group: HeldGroup): void {
    for (const entry of group.entries) {
      this.held.add(entry._id);
      this.heldBytes += entry.sizeBytes;
    }
    this.queue.push(group);
  }

  private release(entries: InboxRecord[]): void {
    for (const entry of entries) if (this.held.delete(entry._id)) this.heldBytes -= entry.sizeBytes;
  }

  private wake(): void {
    if (this.draining || this.stopped) return;
    this.draining = this.drain().finally(() => (this.draining = null));
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.queue.length && this.backlogInDatabase) await this.readBacklog();
        if (!this.queue.length) return;
        await this.giveWay();
        const batch = this.takeBatch();
        try {
          await this.applyBatch(batch);
        } catch (error) {
          this.queue.unshift(...batch);
          throw error;
        }
      } catch (error) {
        // The database went away: keep everything and try again shortly.
        if (!isDatabaseUnavailable(error)) this.logger.error({ err: error }, 'Webhook processing stopped');
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.wake(), RETRY_MS);
        this.retryTimer.unref();
        return;
      }
    }
  }

  /** Waits while deliveries are being stored (answering Meta comes first), but not forever. */
  private async giveWay(): Promise<void> {
    const until = Date.now() + MAX_YIELD_MS;
    await nextTurn();
    while (this.endpointBusy() && Date.now() < until) await sleep(2);
  }

  /** Whole groups from the head of the queue, up to BATCH_SIZE entries or BATCH_BYTES. */
  private takeBatch(): HeldGroup[] {
    const batch: HeldGroup[] = [];
    let count = 0;
    let bytes = 0;
    while (this.queue.length && count < BATCH_SIZE && bytes < BATCH_BYTES) {
      const group = this.queue.shift() as HeldGroup;
      batch.push(group);
      count += group.entries.length;
      bytes += group.entries.reduce((sum, entry) => sum + entry.sizeBytes, 0);
    }
    return batch;
  }

  private async readBacklog(): Promise<void> {
    const entries = await this.repository.inboxEntriesOf(this.worker, BACKLOG_READ, this.held);
    if (entries.length < BACKLOG_READ) this.backlogInDatabase = false;
    for (let i = 0; i < entries.length; i += BATCH_SIZE) this.hold({ flush: null, entries: entries.slice(i, i + BATCH_SIZE) });
  }

  /** Applies a batch together; when that fails for a reason other than the database, one by one. */
  private async applyBatch(batch: HeldGroup[]): Promise<void> {
    try {
      await this.applyEntries(batch);
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      const entries = batch.flatMap((group) => group.entries);
      for (const [i, entry] of entries.entries()) {
        try {
          await this.applyEntries([{ flush: null, entries: [entry] }]);
        } catch (single) {
          if (isDatabaseUnavailable(single)) {
            this.queue.unshift({ flush: null, entries: entries.slice(i) });
            return;
          }
          await this.failed(entry, single as Error);
        }
      }
    }
  }

  private async applyEntries(groups: HeldGroup[]): Promise<void> {
    const entries = groups.flatMap((group) => group.entries);
    const routes = this.applier.routes();
    const now = this.clock.now();
    const planned = await Promise.all(
      entries.map(async (entry) => {
        const resumed = entry.attempts > 0;
        entry.attempts++;
        const envelope = parseWebhookEnvelope(entry.rawBody);
        const plan = envelope ? await this.applier.plan(envelope, entry._id, routes) : null;
        return { entry, resumed, plan, record: archiveRecord(entry, plan, now) };
      }),
    );
    const archived = await this.repository.archiveDeliveries(planned.map((p) => p.record));
    const toApply: DeliveryPlan[] = [];
    for (const [i, { entry, resumed, plan, record }] of planned.entries()) {
      if (!archived[i]) {
        // Archived before: by an earlier attempt of this acceptance (go on), or it is a duplicate.
        if (!resumed || (await this.repository.archivedAcceptId(entry._id)) !== entry.acceptId) continue;
        await this.repository.updateArchivedOutcome(entry._id, record);
      }
      if (plan) toApply.push(plan);
    }
    await this.applier.execute(toApply);
    const flushes = groups.flatMap((group) => (group.flush ? [group.flush] : []));
    const loose = groups.flatMap((group) => (group.flush ? [] : group.entries.map((e) => e._id)));
    await this.repository.deleteInboxEntries(flushes, loose);
    this.release(entries);
  }

  /** Tried again later, or after MAX_ATTEMPTS set aside as rejected for operators to look at. */
  private async failed(entry: InboxRecord, error: Error): Promise<void> {
    this.logger.error({ err: error, delivery: entry._id }, 'A webhook delivery could not be applied');
    if (entry.attempts < MAX_ATTEMPTS) {
      this.queue.push({ flush: null, entries: [entry] });
      return;
    }
    const record: ArchivedDelivery = { ...archiveRecord(entry, null, this.clock.now()), error: `Applying failed ${entry.attempts} times: ${error.message}` };
    if (!(await this.repository.archiveDeliveries([record]))[0]) await this.repository.updateArchivedOutcome(entry._id, record);
    await this.repository.deleteInboxEntries([], [entry._id]);
    this.release([entry]);
  }

  /** Heartbeat, and taking over from dead workers; every HEARTBEAT_MS on every instance. */
  private async tick(): Promise<void> {
    try {
      const now = this.clock.now();
      if (!this.registered) {
        await this.repository.registerWorker(this.worker, now);
        this.registered = true;
      } else if (!(await this.repository.heartbeat(this.worker, now))) {
        await this.rejoin(now);
      }
      await this.takeOverDeadWorkers(now);
      this.wake();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) this.logger.warn(`Webhook worker heartbeat failed: ${(error as Error).message}`);
    }
  }

  /**
   * Another worker declared this one dead (it was paused longer than STALE_MS) and took its
   * entries: start again under a new id, with whatever it stored after the takeover.
   */
  private async rejoin(now: Date): Promise<void> {
    const old = this.worker;
    this.worker = newWorkerId();
    await this.repository.registerWorker(this.worker, now);
    this.queue.length = 0;
    this.held.clear();
    this.heldBytes = 0;
    await this.repository.moveInboxEntries(old, this.worker);
    this.backlogInDatabase = true;
    this.logger.warn(`Webhook worker ${old} was taken for dead; continuing as ${this.worker}`);
  }

  private async takeOverDeadWorkers(now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - STALE_MS);
    const dead = (await this.repository.staleWorkers(cutoff)).filter((id) => id !== this.worker);
    if (!dead.length) return;
    const live = new Set(await this.repository.liveWorkers(cutoff));
    for (const worker of dead) {
      if (!(await this.repository.claimTakeover(worker, this.worker, now))) {
        const holder = await this.repository.takeoverClaimant(worker);
        // The worker that claimed it died before finishing: release it so it can be claimed again.
        if (holder && holder !== this.worker && !live.has(holder)) await this.repository.releaseTakeover(worker, holder);
        if (holder !== this.worker) continue;
      }
      const moved = await this.repository.moveInboxEntries(worker, this.worker);
      await this.repository.removeWorker(worker);
      if (moved) {
        this.backlogInDatabase = true;
        this.logger.log(`Took over ${moved} webhook deliveries from worker ${worker}`);
      }
    }
  }

  /** A WABA (and its numbers) just got an owner: its unroutable deliveries are applied now. */
  private async requeueFor(accountId: string, wabaId: string): Promise<void> {
    try {
      const numbers = await this.numbers.listNumbersOfWaba(accountId, wabaId);
      if ((await this.repository.requeueUnroutable([wabaId, ...numbers.map((n) => n.phoneNumberId)], this.worker, this.clock.now())) > 0) {
        this.backlogInDatabase = true;
        this.wake();
      }
    } catch (error) {
      this.logger.warn(`Could not requeue unroutable deliveries for WABA ${wabaId}: ${(error as Error).message}`);
    }
  }
}

/**
 * Entries held in memory and deleted together: a whole insert's worth by its flush id, or entries
 * read back from the database (flush null) one by one, since their insert may hold others.
 */
interface HeldGroup {
  flush: string | null;
  entries: InboxRecord[];
}

function newWorkerId(): string {
  return `${process.pid}-${randomUUID()}`;
}

/** The archive's record of an entry, with the outcome its plan gives (no plan: not a JSON object). */
export function archiveRecord(entry: InboxRecord, plan: DeliveryPlan | null, appliedAt: Date | null): ArchivedDelivery {
  const unroutableIds = plan?.unroutableIds ?? [];
  return {
    bodySha256: entry._id,
    acceptId: entry.acceptId,
    rawBody: entry.rawBody,
    sizeBytes: entry.sizeBytes,
    receivedAt: entry.receivedAt,
    attempts: entry.attempts,
    status: !plan ? 'rejected' : unroutableIds.length ? 'unroutable' : 'applied',
    error: !plan ? 'The body is not a JSON object' : unroutableIds.length ? `No tenant owns ${unroutableIds.join(', ')}` : null,
    unroutableIds,
    appliedAt,
  };
}
