/**
 * What a tenant manages for one number beside sending: its WhatsApp business profile (and photo),
 * display-name changes and their review, and the two-step PIN. Meta's registration budget is the
 * phone-numbers module's (RegistrationBudgetService), shown here.
 */
import { DynamicModule, Logger, Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { DomainEvents } from '../common/events/domain-events';
import { CredentialsModule } from '../credentials/credentials.module';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { BusinessProfileService } from './business-profile.service';
import { DisplayNameService } from './display-name.service';
import { NumberSettingsController } from './number-settings.controller';
import { NumberSettingsRepository } from './number-settings.repository';
import { DisplayNameRequest, DisplayNameRequestSchema, PinChange, PinChangeSchema } from './number-settings.schema';
import { NumberSettingsService } from './number-settings.service';
import { TwoStepPinService } from './two-step-pin.service';

@Module({})
export class NumberSettingsModule implements OnModuleInit {
  private readonly logger = new Logger(NumberSettingsModule.name);

  /** `webhooks` is the module AppModule imports (for EventsService), not a second instance of it. */
  static with(webhooks: DynamicModule): DynamicModule {
    return {
      module: NumberSettingsModule,
      imports: [
        MongooseModule.forFeature([
          { name: DisplayNameRequest.name, schema: DisplayNameRequestSchema },
          { name: PinChange.name, schema: PinChangeSchema },
        ]),
        AccountsModule,
        AuditModule,
        CredentialsModule,
        PhoneNumbersModule,
        webhooks,
      ],
      controllers: [NumberSettingsController],
      providers: [NumberSettingsRepository, NumberSettingsService, BusinessProfileService, DisplayNameService, TwoStepPinService],
    };
  }

  constructor(
    private readonly domainEvents: DomainEvents,
    private readonly names: DisplayNameService,
  ) {}

  onModuleInit(): void {
    this.domainEvents.on('display-name.decided', (decided) => {
      this.names.applyDecision(decided).catch((error: Error) => this.logger.warn(`Recording a display-name decision failed: ${error.message}`));
    });
  }
}
