/**
 * Coexistence: numbers also on the WhatsApp Business app. When one is connected, its one-time
 * contacts and history synchronisation is requested (a BullMQ job, coexistence-jobs.ts) and its
 * progress kept from Meta's `history` / `smb_app_state_sync` / `smb_message_echoes` webhooks.
 */
import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditModule } from '../audit/audit.module';
import { DomainEvents } from '../common/events/domain-events';
import { CredentialsModule } from '../credentials/credentials.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { CoexistenceSync, CoexistenceSyncSchema } from './coexistence-sync.schema';
import { CoexistenceJobs, CoexistenceSyncProcessor } from './coexistence-jobs';
import { CoexistenceController } from './coexistence.controller';
import { CoexistenceRepository } from './coexistence.repository';
import { CoexistenceService } from './coexistence.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: CoexistenceSync.name, schema: CoexistenceSyncSchema }]), AuditModule, CredentialsModule, RealtimeModule],
  controllers: [CoexistenceController],
  providers: [CoexistenceRepository, CoexistenceService, CoexistenceJobs],
  exports: [CoexistenceService],
})
export class CoexistenceModule implements OnModuleInit {
  private readonly logger = new Logger(CoexistenceModule.name);

  constructor(
    private readonly domainEvents: DomainEvents,
    private readonly coexistence: CoexistenceService,
    private readonly jobs: CoexistenceJobs,
  ) {}

  onModuleInit(): void {
    this.domainEvents.on('coexistence.connected', (change) => {
      this.coexistence
        .connected(change)
        .then((record) => this.jobs.enqueue(record))
        .catch((error: Error) => this.logger.warn(`The coexistence sync of ${change.phoneNumberId} could not start: ${error.message}`));
    });
  }
}

/** The sync worker, in processes whose INSTANCE_ROLE runs jobs. */
@Module({ imports: [CoexistenceModule], providers: [CoexistenceSyncProcessor] })
export class CoexistenceWorkerModule {}
