/**
 * Message templates of connected WABAs, mirrored read-only from Meta: read in full when a WABA
 * connects, on a schedule and on demand; kept current by the template webhooks (applied through
 * the webhooks module, which routes them by WABA). Owns `message_templates`.
 */
import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DomainEvents } from '../common/events/domain-events';
import { ApiConfig } from '../config/api-config';
import { CredentialsModule } from '../credentials/credentials.module';
import { ScheduledTasks } from '../jobs/scheduled-tasks';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { MessageTemplate, MessageTemplateSchema, MessageTemplateSync, MessageTemplateSyncSchema } from './message-template.schema';
import { MessageTemplatesRepository } from './message-templates.repository';
import { TemplateSyncJobs } from './template-sync-jobs';
import { TemplateSyncProcessor } from './template-sync.processor';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: MessageTemplate.name, schema: MessageTemplateSchema },
      { name: MessageTemplateSync.name, schema: MessageTemplateSyncSchema },
    ]),
    PhoneNumbersModule,
    CredentialsModule,
    RealtimeModule,
  ],
  controllers: [TemplatesController],
  providers: [MessageTemplatesRepository, TemplatesService, TemplateSyncJobs],
  exports: [TemplatesService, TemplateSyncJobs],
})
export class TemplatesModule implements OnModuleInit {
  private readonly logger = new Logger(TemplatesModule.name);

  constructor(
    private readonly domainEvents: DomainEvents,
    private readonly templates: TemplatesService,
    private readonly jobs: TemplateSyncJobs,
    private readonly tasks: ScheduledTasks,
    private readonly config: ApiConfig,
  ) {}

  onModuleInit(): void {
    this.domainEvents.on('waba.connected', ({ accountId, wabaId }) => void this.jobs.queueSync(accountId, wabaId));
    this.domainEvents.on('waba.disconnected', ({ accountId, wabaId }) => {
      this.templates.forgetWaba(accountId, wabaId).catch((error: Error) => this.logger.warn(`The templates of WABA ${wabaId} could not be removed: ${error.message}`));
    });
    this.tasks.register('template-sync', this.config.TEMPLATE_SYNC_INTERVAL_MINUTES * 60_000, () => this.jobs.queueAll());
  }
}

/** The template reader, in processes whose INSTANCE_ROLE runs jobs (app.module.ts). */
@Module({ imports: [TemplatesModule], providers: [TemplateSyncProcessor] })
export class TemplateSyncWorkerModule {}
