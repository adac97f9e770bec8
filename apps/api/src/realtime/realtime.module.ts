/** Pushes tenant events (number status, onboarding, credentials) to the tenant's browsers. */
import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { TenantEventsGateway } from './tenant-events.gateway';

@Module({ imports: [AccountsModule], providers: [TenantEventsGateway], exports: [TenantEventsGateway] })
export class RealtimeModule {}
