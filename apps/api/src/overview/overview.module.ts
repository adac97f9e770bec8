/**
 * The tenant's Overview: one read that composes the WhatsApp status, the consents in progress and
 * the latest events from the modules that own them. It keeps no data of its own.
 */
import { DynamicModule, Module } from '@nestjs/common';
import { OAuthModule } from '../oauth/oauth.module';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { TemplatesModule } from '../templates/templates.module';
import { OverviewController } from './overview.controller';
import { OverviewService } from './overview.service';

@Module({})
export class OverviewModule {
  /**
   * `webhooks` is the very module AppModule imports (`WebhooksModule.forRole(config)`): importing
   * the class again would make Nest create a second instance of it, with its tasks twice.
   */
  static with(webhooks: DynamicModule, numberHealth: DynamicModule): DynamicModule {
    return {
      module: OverviewModule,
      imports: [PhoneNumbersModule, OAuthModule, webhooks, numberHealth, TemplatesModule],
      controllers: [OverviewController],
      providers: [OverviewService],
    };
  }
}
