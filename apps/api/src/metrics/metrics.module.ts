/**
 * Prometheus metrics (prom-client through @willsoto/nestjs-prometheus): one registry per process,
 * the metric list in metric-definitions.ts, recorded through MetricsService. Served on METRICS_PORT
 * in every role, and on the public port only when METRICS_ON_PUBLIC_PORT says so (README, "Metrics").
 */
import { DynamicModule, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { ApiConfig } from '../config/api-config';
import { METRIC_PROVIDERS } from './metric-definitions';
import { METRICS_PORT_ENABLED, MetricsPortServer } from './metrics-port.server';
import { MetricsService } from './metrics.service';
import { PublicMetricsController } from './public-metrics.controller';

/** The public route's path; create-api-app.ts keeps it out of the `/api` prefix. */
export const PUBLIC_METRICS_PATH = 'metrics';

@Module({})
export class MetricsModule {
  /** `privatePort: false` for operator commands: they record (their Graph calls) but serve nothing. */
  static forRoot(config: ApiConfig, { privatePort = true } = {}): DynamicModule {
    const onPublicPort = config.METRICS_ON_PUBLIC_PORT && config.servesHttp && privatePort;
    return {
      module: MetricsModule,
      global: true,
      imports: onPublicPort ? [PrometheusModule.register({ controller: PublicMetricsController, path: PUBLIC_METRICS_PATH, defaultMetrics: { enabled: false } })] : [],
      providers: [...METRIC_PROVIDERS, MetricsService, MetricsPortServer, { provide: METRICS_PORT_ENABLED, useValue: privatePort }],
      exports: [MetricsService, MetricsPortServer],
    };
  }
}
