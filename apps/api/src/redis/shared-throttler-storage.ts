import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';
import type { ApiConfig } from '../config/api-config';
import { redisOptions } from './redis-connection';

/**
 * Rate-limit counters in Redis, shared by every instance. While Redis is away the counters fall
 * back to this instance's memory: sign-in keeps working and stays limited per instance, instead of
 * hanging or failing with it.
 */
export class SharedThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger(SharedThrottlerStorage.name);
  private readonly connection: Redis;
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new ThrottlerStorageService();
  private warned = false;

  constructor(config: ApiConfig) {
    this.connection = new Redis({ ...redisOptions(config), keyPrefix: `${config.REDIS_KEY_PREFIX}:throttle:`, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.connection.on('error', () => undefined);
    this.shared = new ThrottlerStorageRedisService(this.connection);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    if (this.connection.status === 'ready') {
      try {
        const record = await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
        this.warned = false;
        return record;
      } catch (error) {
        this.warnOnce(error as Error);
      }
    } else this.warnOnce(new Error(`connection ${this.connection.status}`));
    return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  /**
   * Counts one attempt on `key`: null while within `limit` per `windowMs`, else how many seconds
   * to wait (the key stays blocked for one window once over the limit).
   */
  async secondsToWait(key: string, limit: number, windowMs: number, name: string): Promise<number | null> {
    const record = await this.increment(key, windowMs, limit, windowMs, name);
    if (record.totalHits <= limit && !record.isBlocked) return null;
    return Math.max(1, Math.ceil(record.isBlocked ? record.timeToBlockExpire : record.timeToExpire));
  }

  onModuleDestroy(): void {
    this.local.onApplicationShutdown();
    this.connection.disconnect();
  }

  private warnOnce(error: Error): void {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn(`Rate limits are counted per instance while Redis is unavailable (${error.message})`);
  }
}
