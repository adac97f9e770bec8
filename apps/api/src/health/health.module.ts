/**
 * Health: `/api/health` (ok / degraded / down, for people and the SPA), and the probes for load
 * balancers and orchestrators (@nestjs/terminus): `/api/health/live` and `/api/health/ready`,
 * also served on METRICS_PORT (a worker's only port). Draining on shutdown lives here too.
 */
import { MiddlewareConsumer, Module, NestModule, OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ApiConfig } from '../config/api-config';
import { MetricsPortServer } from '../metrics/metrics-port.server';
import { Draining, InFlightRequests } from './draining';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

export const LIVENESS_PATH = '/api/health/live';
export const READINESS_PATH = '/api/health/ready';

@Module({
  // Failed probes are answered with their reasons; logging each one would repeat every few seconds.
  imports: [TerminusModule.forRootAsync({ inject: [ApiConfig], useFactory: (config: ApiConfig) => ({ logger: false, gracefulShutdownTimeoutMs: config.SHUTDOWN_DELAY_MS }) }), DiscoveryModule],
  controllers: [HealthController],
  providers: [HealthService, Draining, InFlightRequests],
})
export class HealthModule implements NestModule, OnModuleInit {
  constructor(
    private readonly health: HealthService,
    private readonly port: MetricsPortServer,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(InFlightRequests).forRoutes('*');
  }

  onModuleInit(): void {
    this.port.addRoute(LIVENESS_PATH, () => this.health.liveness());
    this.port.addRoute(READINESS_PATH, () => this.health.readiness());
  }
}
