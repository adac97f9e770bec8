/**
 * Meta's webhooks for all tenants: verified over the raw bytes, stored in the inbox before the 200,
 * applied afterwards in batches (deduplicated, routed by number then WABA), archived, and shown on
 * the tenant's Events page.
 */
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import {
  TenantEvent,
  TenantEventSchema,
  WebhookClaim,
  WebhookClaimSchema,
  WebhookDelivery,
  WebhookDeliverySchema,
  WebhookInboxEntry,
  WebhookInboxEntrySchema,
  WebhookWorker,
  WebhookWorkerSchema,
} from './webhook-records.schema';
import { WebhookApplier } from './webhook-applier.service';
import { WebhookIngestService } from './webhook-ingest.service';
import { WebhookProcessor } from './webhook-processor.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: WebhookInboxEntry.name, schema: WebhookInboxEntrySchema },
      { name: WebhookDelivery.name, schema: WebhookDeliverySchema },
      { name: WebhookWorker.name, schema: WebhookWorkerSchema },
      { name: TenantEvent.name, schema: TenantEventSchema },
      { name: WebhookClaim.name, schema: WebhookClaimSchema },
    ]),
    PhoneNumbersModule,
    RealtimeModule,
  ],
  controllers: [WebhooksController, EventsController],
  providers: [WebhooksRepository, WebhookIngestService, WebhookProcessor, WebhookApplier, EventsService],
  exports: [WebhookProcessor],
})
export class WebhooksModule {}
