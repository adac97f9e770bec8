import { DynamicModule, Module } from '@nestjs/common';
import { CommonModule } from '../common/common.module';
import { ApiConfig } from '../config/api-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { JobsModule } from '../jobs/jobs.module';
import { MetaModule } from '../meta/meta.module';
import { MetricsModule } from '../metrics/metrics.module';
import { RedisModule } from '../redis/redis.module';
import { TokenRefreshModule } from '../token-refresh/token-refresh.module';
import { MaintenanceModule } from './maintenance.module';

/** What operator commands need: configuration, database, Redis and the job queues (tokens-check queues checks), Meta, and the maintenance jobs; no HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return { module: CliModule, imports: [ConfigModule.forRoot(config), CommonModule, MetricsModule.forRoot(config, { privatePort: false }), DatabaseModule, RedisModule, JobsModule, MetaModule, MaintenanceModule, TokenRefreshModule] };
  }
}
