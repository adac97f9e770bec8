import { Injectable, Logger, ServiceUnavailableException, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthCheckService, HealthIndicatorService, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { DependencyHealth, HealthView, ProbeView } from '@waba/contracts';
import { graphVersionStatus } from '@waba/meta-graph';
import type { Connection } from 'mongoose';
import { Clock } from '../common/clock/clock';
import { ApiConfig } from '../config/api-config';
import { RedisClient } from '../redis/redis.module';
import { Draining } from './draining';

/** A probe's answer: 200 with `ok`, 503 with the failing checks. */
export interface ProbeAnswer {
  status: 200 | 503;
  body: ProbeView;
}

@Injectable()
export class HealthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(HealthService.name);

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly redis: RedisClient,
    private readonly config: ApiConfig,
    private readonly terminus: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly drain: Draining,
    private readonly clock: Clock,
  ) {}

  /** An operator reads this at every start, months before Meta retires the version. */
  onApplicationBootstrap(): void {
    const version = graphVersionStatus(this.config.META_API_VERSION, this.clock.now());
    if (version.state !== 'supported') this.logger.warn(version.message);
  }

  /** Liveness: the process answers; no dependency is asked (a restart would not bring them back). */
  liveness(): Promise<ProbeAnswer> {
    return this.probe([]);
  }

  /** Readiness: the database and Redis answer within DATABASE_TIMEOUT_MS and the instance is not shutting down. */
  readiness(): Promise<ProbeAnswer> {
    const latency = (key: 'database' | 'redis', ping: () => Promise<number | null>) => async () => {
      const ms = await ping();
      return ms === null ? this.indicators.check(key).down({ message: `no answer within ${this.config.DATABASE_TIMEOUT_MS} ms` }) : this.indicators.check(key).up({ latencyMs: ms });
    };
    return this.probe([
      () => (this.drain.draining ? this.indicators.check('draining').down({ message: 'shutting down: finishing requests and jobs' }) : this.indicators.check('draining').up()),
      latency('database', () => this.pingDatabase()),
      latency('redis', () => this.redis.ping(this.config.DATABASE_TIMEOUT_MS)),
    ]);
  }

  private async probe(checks: HealthIndicatorFunction[]): Promise<ProbeAnswer> {
    try {
      return { status: 200, body: (await this.terminus.check(checks)) as ProbeView };
    } catch (error) {
      if (error instanceof ServiceUnavailableException) return { status: 503, body: error.getResponse() as ProbeView };
      throw error;
    }
  }

  async check(): Promise<HealthView> {
    const [database, redis] = await Promise.all([this.pingDatabase(), this.redis.ping(this.config.DATABASE_TIMEOUT_MS)]);
    const view = (latency: number | null): DependencyHealth => (latency === null ? { status: 'down' } : { status: 'up', latencyMs: latency });
    return {
      status: database === null ? 'down' : redis === null ? 'degraded' : 'ok',
      database: view(database),
      redis: view(redis),
      role: this.config.INSTANCE_ROLE,
      uptimeSeconds: Math.round(process.uptime()),
      metaApi: graphVersionStatus(this.config.META_API_VERSION, this.clock.now()),
    };
  }

  /** Round-trip time of a ping, or null when the database does not answer in time. */
  private async pingDatabase(): Promise<number | null> {
    const db = this.connection.db;
    if (!db) return null;
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.config.DATABASE_TIMEOUT_MS)));
    const ping = db.command({ ping: 1 }).then(
      () => Date.now() - started,
      () => null,
    );
    const result = await Promise.race([ping, timeout]);
    clearTimeout(timer);
    return result;
  }
}
