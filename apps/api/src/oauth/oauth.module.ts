/**
 * Consent and discovery: Embedded Signup code exchange, the redirect flow (passport-facebook),
 * tenant-bound state, discovery of granted WABAs and numbers, the picker and manual add.
 */
import { Module, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { ApiConfig } from '../config/api-config';
import { ScheduledTasks } from '../jobs/scheduled-tasks';
import { MongooseModule } from '@nestjs/mongoose';
import { PassportModule } from '@nestjs/passport';
import { AuditModule } from '../audit/audit.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { OnboardingAttemptsModule } from '../onboarding-attempts/onboarding-attempts.module';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { DiscoveryService } from './discovery.service';
import { ManualNumbersController } from './manual-numbers.controller';
import { OAuthState, OAuthStateSchema, OnboardingSession, OnboardingSessionSchema, UsedAuthorizationCode, UsedAuthorizationCodeSchema } from './oauth-records.schema';
import { OAuthStateService } from './oauth-state.service';
import { OAuthController } from './oauth.controller';
import { OAuthRepository } from './oauth.repository';
import { ManualNumbersService } from './manual-numbers.service';
import { OnboardingService } from './onboarding.service';
import { WhatsAppOAuthStrategy } from './whatsapp-oauth.strategy';

@Module({
  imports: [
    PassportModule,
    MongooseModule.forFeature([
      { name: OAuthState.name, schema: OAuthStateSchema },
      { name: UsedAuthorizationCode.name, schema: UsedAuthorizationCodeSchema },
      { name: OnboardingSession.name, schema: OnboardingSessionSchema },
    ]),
    AuditModule,
    CredentialsModule,
    OnboardingAttemptsModule,
    PhoneNumbersModule,
    RealtimeModule,
  ],
  controllers: [OAuthController, ManualNumbersController],
  providers: [OAuthRepository, OAuthStateService, DiscoveryService, OnboardingService, ManualNumbersService, WhatsAppOAuthStrategy],
  exports: [OnboardingService],
})
export class OAuthModule implements OnModuleInit {
  constructor(
    private readonly tasks: ScheduledTasks,
    private readonly repository: OAuthRepository,
    private readonly clock: Clock,
    private readonly config: ApiConfig,
  ) {}

  /**
   * States live minutes and are gone once expired; a used code is remembered a day (Meta's codes
   * expire long before, so a replay is still refused); onboarding sessions go a week after expiry.
   */
  onModuleInit(): void {
    this.tasks.register('oauth-retention', this.config.RETENTION_INTERVAL_MINUTES * 60_000, () => {
      const now = this.clock.now().getTime();
      return this.repository.deleteOutdated({ statesExpiredBy: new Date(now), codesUsedBefore: new Date(now - DAY_MS), sessionsExpiredBefore: new Date(now - 7 * DAY_MS) });
    });
  }
}

const DAY_MS = 24 * 3600_000;
