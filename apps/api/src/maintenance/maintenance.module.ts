/** Operator jobs run from the command line (`apps/api/src/cli.ts`). */
import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { KeyRotationService } from './key-rotation.service';

@Module({ imports: [CredentialsModule, PhoneNumbersModule], providers: [KeyRotationService], exports: [KeyRotationService] })
export class MaintenanceModule {}
