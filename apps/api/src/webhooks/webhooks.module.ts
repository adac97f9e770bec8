/**
 * Meta's webhooks for all tenants: verified over the raw bytes, stored in the inbox before the 200,
 * queued as jobs and applied by workers in batches (deduplicated, routed by number then WABA),
 * archived, and shown on the tenant's Events page.
 */
import { DynamicModule, Logger, Module, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { ApiConfig } from '../config/api-config';
import { ScheduledTasks } from '../jobs/scheduled-tasks';
import { MongooseModule } from '@nestjs/mongoose';
import { DomainEvents } from '../common/events/domain-events';
import { CoexistenceModule } from '../coexistence/coexistence.module';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { TemplatesModule } from '../templates/templates.module';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { StoredDeliveriesService } from './stored-deliveries.service';
import { TenantEvent, TenantEventSchema, WebhookDelivery, WebhookDeliverySchema, WebhookInboxEntry, WebhookInboxEntrySchema } from './webhook-records.schema';
import { IngestPressure } from './ingest-pressure';
import { WebhookApplication } from './webhook-application.service';
import { WebhookApplier } from './webhook-applier.service';
import { WebhookIngestService } from './webhook-ingest.service';
import { WebhookDeliveriesProcessor, WebhookJobs, WebhookUpkeepProcessor } from './webhook-jobs';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: WebhookInboxEntry.name, schema: WebhookInboxEntrySchema },
      { name: WebhookDelivery.name, schema: WebhookDeliverySchema },
      { name: TenantEvent.name, schema: TenantEventSchema },
    ]),
    PhoneNumbersModule,
    RealtimeModule,
    CoexistenceModule,
    TemplatesModule,
  ],
  controllers: [WebhooksController, EventsController],
  providers: [WebhooksRepository, IngestPressure, WebhookIngestService, WebhookJobs, WebhookApplication, WebhookApplier, EventsService, StoredDeliveriesService],
  exports: [StoredDeliveriesService, EventsService],
})
export class WebhooksModule implements OnModuleInit {
  /** With the webhook worker in processes whose INSTANCE_ROLE runs jobs. */
  static forRole(config: ApiConfig): DynamicModule {
    return { module: WebhooksModule, providers: config.runsJobs ? [WebhookDeliveriesProcessor, WebhookUpkeepProcessor] : [] };
  }

  constructor(
    private readonly domainEvents: DomainEvents,
    private readonly jobs: WebhookJobs,
    private readonly tasks: ScheduledTasks,
    private readonly repository: WebhooksRepository,
    private readonly clock: Clock,
    private readonly config: ApiConfig,
    private readonly events: EventsService,
  ) {}

  onModuleInit(): void {
    this.domainEvents.on('waba.connected', ({ accountId, wabaId }) => void this.jobs.requeueUnroutable(accountId, wabaId));
    this.domainEvents.on('active-number.changed', (change) => {
      this.events.recordActiveNumberChange(change).catch((error: Error) => new Logger('Events').warn(`Recording an active-number event failed: ${error.message}`));
    });
    this.tasks.register('webhook-retention', this.config.RETENTION_INTERVAL_MINUTES * 60_000, () => {
      const daysAgo = (days: number) => new Date(this.clock.now().getTime() - days * 24 * 3600_000);
      return this.repository.deleteReceivedBefore({ deliveries: daysAgo(this.config.WEBHOOK_ARCHIVE_RETENTION_DAYS), events: daysAgo(this.config.TENANT_EVENT_RETENTION_DAYS) });
    });
  }
}
