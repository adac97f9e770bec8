/**
 * Onboarding by link: an admin's single-use, expiring link lets the owner of the Meta business run
 * Embedded Signup for the tenant without an account; the admin follows each step live.
 */
import { Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { Clock } from '../common/clock/clock';
import { ApiConfig } from '../config/api-config';
import { ScheduledTasks } from '../jobs/scheduled-tasks';
import { OAuthModule } from '../oauth/oauth.module';
import { OnboardingAttemptsModule } from '../onboarding-attempts/onboarding-attempts.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { SignupLink, SignupLinkClaim, SignupLinkClaimSchema, SignupLinkSchema } from './signup-link.schema';
import { SignupLinkHolderController } from './signup-link-holder.controller';
import { SignupLinkLimitGuard } from './signup-link-limit.guard';
import { SignupLinksController } from './signup-links.controller';
import { SignupLinksRepository } from './signup-links.repository';
import { SignupLinksService } from './signup-links.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: SignupLink.name, schema: SignupLinkSchema },
      { name: SignupLinkClaim.name, schema: SignupLinkClaimSchema },
    ]),
    AccountsModule,
    AuditModule,
    OAuthModule,
    OnboardingAttemptsModule,
    RealtimeModule,
  ],
  controllers: [SignupLinksController, SignupLinkHolderController],
  providers: [SignupLinksRepository, SignupLinksService, SignupLinkLimitGuard],
})
export class SignupLinksModule implements OnModuleInit {
  constructor(
    private readonly tasks: ScheduledTasks,
    private readonly repository: SignupLinksRepository,
    private readonly clock: Clock,
    private readonly config: ApiConfig,
  ) {}

  /** A link is kept 30 days past its expiry, so it can still explain itself; then it goes. */
  onModuleInit(): void {
    this.tasks.register('signup-link-retention', this.config.RETENTION_INTERVAL_MINUTES * 60_000, () => this.repository.deleteOutdated(new Date(this.clock.now().getTime() - 30 * 86_400_000)));
  }
}
