/**
 * "Can this number send?": one verdict per connected number from Meta's health_status and our own
 * checks, refreshed on demand, on a schedule and when a webhook says the WABA changed.
 */
import { DynamicModule, Logger, Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditModule } from '../audit/audit.module';
import { DomainEvents } from '../common/events/domain-events';
import { ApiConfig } from '../config/api-config';
import { CredentialsModule } from '../credentials/credentials.module';
import { ScheduledTasks } from '../jobs/scheduled-tasks';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { NumberHealthController } from './number-health.controller';
import { NumberHealthJobs, NumberHealthProcessor } from './number-health-jobs';
import { NumberHealthRepository } from './number-health.repository';
import { NumberHealth, NumberHealthSchema } from './number-health.schema';
import { NumberHealthService } from './number-health.service';

@Module({})
export class NumberHealthModule implements OnModuleInit {
  private readonly logger = new Logger(NumberHealthModule.name);

  /**
   * `webhooks` is the very module AppModule imports (`WebhooksModule.forRole(config)`), as for the
   * Overview: importing the class again would create a second instance of it. The worker runs
   * only in processes whose INSTANCE_ROLE runs jobs.
   */
  static with(webhooks: DynamicModule, config: ApiConfig): DynamicModule {
    return {
      module: NumberHealthModule,
      imports: [MongooseModule.forFeature([{ name: NumberHealth.name, schema: NumberHealthSchema }]), PhoneNumbersModule, CredentialsModule, AuditModule, RealtimeModule, webhooks],
      controllers: [NumberHealthController],
      providers: [NumberHealthRepository, NumberHealthService, NumberHealthJobs, ...(config.runsJobs ? [NumberHealthProcessor] : [])],
      exports: [NumberHealthService],
    };
  }

  constructor(
    private readonly domainEvents: DomainEvents,
    private readonly jobs: NumberHealthJobs,
    private readonly health: NumberHealthService,
    private readonly tasks: ScheduledTasks,
    private readonly config: ApiConfig,
  ) {}

  onModuleInit(): void {
    this.domainEvents.on('waba.meta-changed', ({ accountId, wabaId }) => {
      this.jobs.refreshSoon(accountId, wabaId).catch((error: Error) => this.logger.warn(`Queueing a number-health refresh failed: ${error.message}`));
    });
    const everyMs = this.config.NUMBER_HEALTH_INTERVAL_MINUTES * 60_000;
    this.tasks.register('number-health-refresh', everyMs, async () => this.jobs.refreshAll(await this.health.connectedWabas(), everyMs));
  }
}
