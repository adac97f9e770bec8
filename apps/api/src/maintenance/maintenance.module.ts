/** Operator jobs run from the command line (`apps/api/src/cli.ts`): key rotation, the tenants overview. */
import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { KeyRotationService } from './key-rotation.service';
import { TenantsOverviewService } from './tenants-overview.service';

@Module({ imports: [AccountsModule, CredentialsModule, PhoneNumbersModule], providers: [KeyRotationService, TenantsOverviewService], exports: [KeyRotationService, TenantsOverviewService] })
export class MaintenanceModule {}
