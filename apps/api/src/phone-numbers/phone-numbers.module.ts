/** The tenant's WABAs and phone numbers: connect, status, active number, refresh, disconnect, and every registration with Meta. */
import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { SYSTEM_ACTORS, systemActor } from '../audit/audit.service';
import { DomainEvents } from '../common/events/domain-events';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditModule } from '../audit/audit.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { PhoneNumber, PhoneNumberSchema } from './phone-number.schema';
import { PhoneNumbersController } from './phone-numbers.controller';
import { PhoneNumbersRepository } from './phone-numbers.repository';
import { PhoneNumbersService } from './phone-numbers.service';
import { PinRevealService } from './pin-reveal.service';
import { RegistrationAttempt, RegistrationAttemptSchema } from './registration-attempt.schema';
import { RegistrationAttemptsRepository } from './registration-attempts.repository';
import { RegistrationBudgetService } from './registration-budget.service';
import { WhatsAppBusinessAccount, WhatsAppBusinessAccountSchema } from './whatsapp-business-account.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: WhatsAppBusinessAccount.name, schema: WhatsAppBusinessAccountSchema },
      { name: PhoneNumber.name, schema: PhoneNumberSchema },
      { name: RegistrationAttempt.name, schema: RegistrationAttemptSchema },
    ]),
    AccountsModule,
    AuditModule,
    CredentialsModule,
    RealtimeModule,
  ],
  controllers: [PhoneNumbersController],
  providers: [PhoneNumbersRepository, RegistrationAttemptsRepository, PhoneNumbersService, PinRevealService, RegistrationBudgetService],
  exports: [PhoneNumbersService, RegistrationBudgetService],
})
export class PhoneNumbersModule implements OnModuleInit {
  private readonly logger = new Logger(PhoneNumbersModule.name);

  constructor(
    private readonly domainEvents: DomainEvents,
    private readonly phoneNumbers: PhoneNumbersService,
  ) {}

  /** The token check (token-refresh) found a credential dead: its numbers can no longer be the active one. */
  onModuleInit(): void {
    this.domainEvents.on('connection.unusable', ({ accountId, connectionId }) => {
      this.phoneNumbers
        .credentialUnusable(systemActor(accountId, SYSTEM_ACTORS.scheduledCheck), connectionId)
        .catch((error: Error) => this.logger.warn(`Choosing another active number failed: ${error.message}`));
    });
  }
}
