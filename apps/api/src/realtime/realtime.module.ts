/**
 * Pushes tenant events (number status, onboarding, credentials, webhooks) to the tenant's browsers:
 * RealtimePublisher from any process, TenantEventsGateway on http instances.
 */
import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { RealtimePublisher } from './realtime-publisher';
import { TenantEventsGateway } from './tenant-events.gateway';

@Module({ imports: [AccountsModule], providers: [TenantEventsGateway, RealtimePublisher], exports: [RealtimePublisher] })
export class RealtimeModule {}
