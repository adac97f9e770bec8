/**
 * Consent and discovery: Embedded Signup code exchange, the redirect flow (passport-facebook),
 * tenant-bound state, discovery of granted WABAs and numbers, the picker and manual add.
 */
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { PassportModule } from '@nestjs/passport';
import { AuditModule } from '../audit/audit.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { DiscoveryService } from './discovery.service';
import { ManualNumbersController } from './manual-numbers.controller';
import { OAuthState, OAuthStateSchema, OnboardingSession, OnboardingSessionSchema, UsedAuthorizationCode, UsedAuthorizationCodeSchema } from './oauth-records.schema';
import { OAuthStateService } from './oauth-state.service';
import { OAuthController } from './oauth.controller';
import { OAuthRepository } from './oauth.repository';
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
    PhoneNumbersModule,
    RealtimeModule,
  ],
  controllers: [OAuthController, ManualNumbersController],
  providers: [OAuthRepository, OAuthStateService, DiscoveryService, OnboardingService, WhatsAppOAuthStrategy],
})
export class OAuthModule {}
