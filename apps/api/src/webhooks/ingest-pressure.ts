import { Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis.module';

/** How long one mark says "saturated"; renewed while the endpoint stays saturated. */
const SATURATED_FOR_MS = 300;
/** Marks are written at most this often per process (one SET, not one per request). */
const MARK_EVERY_MS = 100;

/**
 * Answering Meta comes first, across instances: an http instance whose webhook endpoint is
 * saturated (deliveries queue up to be stored) says so in one short-lived Redis key, and workers
 * on any instance hold back applying while it is there (webhook-application.service.ts). On two
 * shared cores, applying during a burst took CPU and database time from the endpoint itself.
 */
@Injectable()
export class IngestPressure {
  private lastMarkedAt = 0;

  constructor(private readonly redis: RedisClient) {}

  private get key(): string {
    return this.redis.key('webhooks', 'ingest-saturated');
  }

  /** Never waits and never throws: the endpoint must not slow down to say it is slow. */
  markSaturated(): void {
    const now = Date.now();
    if (now - this.lastMarkedAt < MARK_EVERY_MS || !this.redis.ready) return;
    this.lastMarkedAt = now;
    this.redis.connection.set(this.key, '1', 'PX', SATURATED_FOR_MS).catch(() => undefined);
  }

  /** Whether some endpoint said it is saturated within the last SATURATED_FOR_MS; false while Redis is away. */
  async isSaturated(): Promise<boolean> {
    if (!this.redis.ready) return false;
    return (await this.redis.connection.exists(this.key).catch(() => 0)) === 1;
  }
}
