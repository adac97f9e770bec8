/** The Graph client, configured once for the sandbox or real Meta (configuration only). */
import { Global, Module } from '@nestjs/common';
import { MetaGraphClient } from '@waba/meta-graph';
import { ApiConfig } from '../config/api-config';
import { MetricsService } from '../metrics/metrics.service';

@Global()
@Module({
  providers: [
    {
      provide: MetaGraphClient,
      inject: [ApiConfig, MetricsService],
      useFactory: (config: ApiConfig, metrics: MetricsService) =>
        new MetaGraphClient(
          {
            graphBaseUrl: config.META_GRAPH_URL,
            dialogBaseUrl: config.META_DIALOG_URL,
            apiVersion: config.META_API_VERSION,
            appId: config.META_APP_ID,
            appSecret: config.META_APP_SECRET,
            timeoutMs: config.META_GRAPH_TIMEOUT_MS,
          },
          // Every Graph attempt in the metrics, by endpoint template, outcome and Meta code.
          { observe: (attempt) => metrics.graphAttempt(attempt) },
        ),
    },
  ],
  exports: [MetaGraphClient],
})
export class MetaModule {}
