import { DynamicModule, Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CommonModule } from '../common/common.module';
import { ApiConfig } from '../config/api-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { JobsModule } from '../jobs/jobs.module';
import { MetaModule } from '../meta/meta.module';
import { MetricsModule } from '../metrics/metrics.module';
import { RedisModule } from '../redis/redis.module';
import { TokenRefreshModule } from '../token-refresh/token-refresh.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { MaintenanceModule } from './maintenance.module';

/**
 * What operator commands need: configuration, database, Redis and the job queues (`tokens check`
 * queues checks), Meta, accounts, webhooks and the maintenance jobs; no HTTP and no workers of
 * their own (WebhooksModule and TokenRefreshModule without `forRole`).
 */
@Module({})
export class CliModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        MetricsModule.forRoot(config, { privatePort: false }),
        DatabaseModule,
        RedisModule,
        JobsModule,
        MetaModule,
        AccountsModule,
        WebhooksModule,
        MaintenanceModule,
        TokenRefreshModule,
      ],
    };
  }
}
