import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { LoggerModule } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DestinationStream } from 'pino';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { CoexistenceModule, CoexistenceWorkerModule } from '../coexistence/coexistence.module';
import { JobsModule, ScheduledTasksWorkerModule } from '../jobs/jobs.module';
import { MetaModule } from '../meta/meta.module';
import { OAuthModule } from '../oauth/oauth.module';
import { NumberHealthModule } from '../number-health/number-health.module';
import { OverviewModule } from '../overview/overview.module';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { RealtimeGatewayModule } from '../realtime/realtime-gateway.module';
import { RedisModule } from '../redis/redis.module';
import { SignupLinksModule } from '../signup-links/signup-links.module';
import { TokenRefreshModule } from '../token-refresh/token-refresh.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { NumberSettingsModule } from '../number-settings/number-settings.module';
import { TemplatesModule, TemplateSyncWorkerModule } from '../templates/templates.module';
import { CommonModule } from '../common/common.module';
import { CsrfCookieMiddleware } from '../common/auth/csrf';
import { loggerParams } from '../common/logging/logging';
import { ApiConfig } from '../config/api-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { HealthModule } from '../health/health.module';
import { MetricsModule } from '../metrics/metrics.module';

export interface AppModuleOptions {
  /** Where JSON log lines go (stdout by default); tests capture them here. */
  logDestination?: DestinationStream;
}

/**
 * One build for every role (INSTANCE_ROLE): the same modules everywhere; processes that run jobs
 * also register the BullMQ workers and schedules (`forRole`), http processes serve the SPA.
 */
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: ApiConfig, options: AppModuleOptions = {}): DynamicModule {
    const spaDir = resolve(config.SPA_DIR);
    const webhooks = WebhooksModule.forRole(config);
    const numberHealth = NumberHealthModule.with(webhooks, config);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config.LOG_LEVEL, options.logDestination, config.logFormat)),
        CommonModule,
        MetricsModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        JobsModule,
        HealthModule,
        AccountsModule,
        RealtimeGatewayModule,
        MetaModule,
        AuditModule,
        PhoneNumbersModule,
        OAuthModule,
        SignupLinksModule,
        TokenRefreshModule.forRole(config),
        CoexistenceModule,
        ...(config.runsJobs ? [CoexistenceWorkerModule] : []),
        webhooks,
        numberHealth,
        OverviewModule.with(webhooks, numberHealth),
        NumberSettingsModule.with(webhooks),
        TemplatesModule,
        ...(config.runsJobs ? [TemplateSyncWorkerModule] : []),
        ...(config.runsJobs ? [ScheduledTasksWorkerModule] : []),
        ...(config.servesHttp && existsSync(spaDir) ? [ServeStaticModule.forRoot({ rootPath: spaDir, exclude: ['/api/{*path}', '/socket.io/{*path}', '/metrics'] })] : []),
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CsrfCookieMiddleware).forRoutes('*');
  }
}
