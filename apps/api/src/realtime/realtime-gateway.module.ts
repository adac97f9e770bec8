/** The Socket.IO endpoint browsers connect to (served by http instances), authenticated by AccountsModule. */
import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { TenantEventsGateway } from './tenant-events.gateway';

@Module({ imports: [AccountsModule], providers: [TenantEventsGateway] })
export class RealtimeGatewayModule {}
