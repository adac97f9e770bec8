import type { ConnectionOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import type { ApiConfig } from '../config/api-config';

/**
 * ioredis options from REDIS_URL. Commands wait for a reconnect instead of failing after a few
 * retries (`maxRetriesPerRequest: null`, which BullMQ's workers require); callers that must not
 * wait check that the connection is ready first.
 */
export function redisOptions(config: ApiConfig): RedisOptions {
  const url = new URL(config.REDIS_URL);
  const db = Number(url.pathname.replace('/', '') || 0);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    // Reconnect quickly at first, then every 2 s at most, for as long as it takes.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  };
}

/** The same options for BullMQ, which builds its ioredis connections from them. */
export function bullConnection(config: ApiConfig): ConnectionOptions {
  return redisOptions(config) as ConnectionOptions;
}
