import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { DependencyHealth, HealthView } from '@waba/contracts';
import type { Connection } from 'mongoose';
import { ApiConfig } from '../config/api-config';
import { RedisClient } from '../redis/redis.module';

@Injectable()
export class HealthService {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly redis: RedisClient,
    private readonly config: ApiConfig,
  ) {}

  async check(): Promise<HealthView> {
    const [database, redis] = await Promise.all([this.pingDatabase(), this.redis.ping(this.config.DATABASE_TIMEOUT_MS)]);
    const view = (latency: number | null): DependencyHealth => (latency === null ? { status: 'down' } : { status: 'up', latencyMs: latency });
    return {
      status: database === null ? 'down' : redis === null ? 'degraded' : 'ok',
      database: view(database),
      redis: view(redis),
      role: this.config.INSTANCE_ROLE,
      uptimeSeconds: Math.round(process.uptime()),
    };
  }

  /** Round-trip time of a ping, or null when the database does not answer in time. */
  private async pingDatabase(): Promise<number | null> {
    const db = this.connection.db;
    if (!db) return null;
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.config.DATABASE_TIMEOUT_MS)));
    const ping = db.command({ ping: 1 }).then(() => Date.now() - started, () => null);
    const result = await Promise.race([ping, timeout]);
    clearTimeout(timer);
    return result;
  }
}
