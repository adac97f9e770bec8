import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { isDatabaseUnavailable } from '../common/errors/all-exceptions.filter';
import { DomainEvents } from '../common/events/domain-events';
import { PhoneNumbersRepository } from '../phone-numbers/phone-numbers.repository';
import { WebhookApplier } from './webhook-applier.service';
import type { WebhookEnvelope } from './webhook-payloads';
import { WebhooksRepository, type DeliveryRecord } from './webhooks.repository';

/** A claim outlives any normal application; after it, another instance may take the delivery. */
const CLAIM_MS = 30_000;
const SWEEP_MS = 5_000;
/** A delivery that fails this often for a reason other than the database is set aside for operators. */
const MAX_ATTEMPTS = 5;

/**
 * Applies stored deliveries after the 200, on every instance. Claims are atomic, so each delivery
 * is worked by one instance; a periodic sweep picks up what a crash or restart left behind.
 */
@Injectable()
export class WebhookProcessor implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhookProcessor.name);
  private draining: Promise<void> | null = null;
  private wakeAgain = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly applier: WebhookApplier,
    private readonly clock: Clock,
    private readonly domainEvents: DomainEvents,
    private readonly numbers: PhoneNumbersRepository,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.wake(), SWEEP_MS);
    this.timer.unref();
    this.domainEvents.on('waba.connected', ({ accountId, wabaId }) => void this.requeueFor(accountId, wabaId));
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.draining;
  }

  /** Starts applying now (or again right after the current pass). */
  wake(): void {
    if (this.draining) {
      this.wakeAgain = true;
      return;
    }
    this.draining = this.drain().finally(() => (this.draining = null));
  }

  /** Resolves when everything claimable right now has been applied (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    do {
      this.wakeAgain = false;
      try {
        for (let delivery = await this.claim(); delivery; delivery = await this.claim()) await this.applyOne(delivery);
      } catch (error) {
        // The database went away: the claims run out and the sweep resumes when it is back.
        if (!isDatabaseUnavailable(error)) this.logger.error({ err: error }, 'Webhook processing stopped');
        return;
      }
    } while (this.wakeAgain);
  }

  private claim(): Promise<DeliveryRecord | null> {
    return this.repository.claimNext(this.clock.now(), CLAIM_MS);
  }

  private async applyOne(delivery: DeliveryRecord): Promise<void> {
    try {
      const { unroutableIds } = await this.applier.apply(JSON.parse(delivery.rawBody) as WebhookEnvelope, delivery.bodySha256);
      await this.repository.finishDelivery(delivery._id, {
        status: unroutableIds.length ? 'unroutable' : 'applied',
        error: unroutableIds.length ? `No tenant owns ${unroutableIds.join(', ')}` : null,
        unroutableIds,
        appliedAt: this.clock.now(),
      });
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      this.logger.error({ err: error, deliveryId: String(delivery._id) }, 'A webhook delivery could not be applied');
      if (delivery.attempts >= MAX_ATTEMPTS) {
        await this.repository.finishDelivery(delivery._id, { status: 'rejected', error: `Applying failed ${delivery.attempts} times: ${(error as Error).message}`, unroutableIds: [], appliedAt: this.clock.now() });
      }
    }
  }

  /** A WABA (and its numbers) just got an owner: its unroutable deliveries are applied now. */
  private async requeueFor(accountId: string, wabaId: string): Promise<void> {
    try {
      const numbers = await this.numbers.listNumbersOfWaba(accountId, wabaId);
      if ((await this.repository.requeueUnroutable([wabaId, ...numbers.map((n) => n.phoneNumberId)])) > 0) this.wake();
    } catch (error) {
      this.logger.warn(`Could not requeue unroutable deliveries for WABA ${wabaId}: ${(error as Error).message}`);
    }
  }
}
