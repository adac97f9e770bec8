/** The tenant's WABAs and phone numbers: connect, status, active number, refresh, disconnect. */
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditModule } from '../audit/audit.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { PhoneNumber, PhoneNumberSchema } from './phone-number.schema';
import { PhoneNumbersController } from './phone-numbers.controller';
import { PhoneNumbersRepository } from './phone-numbers.repository';
import { PhoneNumbersService } from './phone-numbers.service';
import { WhatsAppBusinessAccount, WhatsAppBusinessAccountSchema } from './whatsapp-business-account.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: WhatsAppBusinessAccount.name, schema: WhatsAppBusinessAccountSchema },
      { name: PhoneNumber.name, schema: PhoneNumberSchema },
    ]),
    AuditModule,
    CredentialsModule,
    RealtimeModule,
  ],
  controllers: [PhoneNumbersController],
  providers: [PhoneNumbersRepository, PhoneNumbersService],
  exports: [PhoneNumbersService, PhoneNumbersRepository],
})
export class PhoneNumbersModule {}
