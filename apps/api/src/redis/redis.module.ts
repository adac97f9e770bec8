/**
 * The process's general-purpose Redis connection (shared rate limits, realtime fan-out, health).
 * BullMQ opens its own connections (jobs/jobs.module.ts).
 */
import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { ApiConfig } from '../config/api-config';
import { redisOptions } from './redis-connection';
import { SharedThrottlerStorage } from './shared-throttler-storage';

@Injectable()
export class RedisClient implements OnApplicationShutdown {
  /** Commands wait while Redis is away (and run once it is back). */
  readonly connection: Redis;

  constructor(@Inject(ApiConfig) private readonly config: ApiConfig) {
    this.connection = new Redis({ ...redisOptions(config), lazyConnect: false });
    // ioredis reports every failed reconnect; health and the callers report the outage instead.
    this.connection.on('error', () => undefined);
  }

  /** Every key this deployment writes starts with this (several deployments or test suites can share one Redis). */
  key(...parts: string[]): string {
    return [this.config.REDIS_KEY_PREFIX, ...parts].join(':');
  }

  get ready(): boolean {
    return this.connection.status === 'ready';
  }

  /** Round-trip time of a PING, or null when Redis does not answer within `timeoutMs`. */
  async ping(timeoutMs: number): Promise<number | null> {
    if (!this.ready) return null;
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
    const pong = this.connection.ping().then(
      () => Date.now() - started,
      () => null,
    );
    const result = await Promise.race([pong, timeout]);
    clearTimeout(timer);
    return result;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}

@Global()
@Module({
  providers: [RedisClient, { provide: SharedThrottlerStorage, inject: [ApiConfig], useFactory: (config: ApiConfig) => new SharedThrottlerStorage(config) }],
  exports: [RedisClient, SharedThrottlerStorage],
})
export class RedisModule {}
