/** The onboarding funnel: every attempt to connect WhatsApp, for the tenant's admins and for operators. */
import { Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Clock } from '../common/clock/clock';
import { ApiConfig } from '../config/api-config';
import { ScheduledTasks } from '../jobs/scheduled-tasks';
import { RealtimeModule } from '../realtime/realtime.module';
import { OnboardingAttempt, OnboardingAttemptSchema } from './onboarding-attempt.schema';
import { OnboardingAttemptsController } from './onboarding-attempts.controller';
import { OnboardingAttemptsRepository } from './onboarding-attempts.repository';
import { OnboardingAttemptsService } from './onboarding-attempts.service';

/** Long enough for a year-on-year funnel of the last months; older attempts are dropped. */
const KEEP_DAYS = 400;

@Module({
  imports: [MongooseModule.forFeature([{ name: OnboardingAttempt.name, schema: OnboardingAttemptSchema }]), RealtimeModule],
  controllers: [OnboardingAttemptsController],
  providers: [OnboardingAttemptsRepository, OnboardingAttemptsService],
  exports: [OnboardingAttemptsService],
})
export class OnboardingAttemptsModule implements OnModuleInit {
  constructor(
    private readonly tasks: ScheduledTasks,
    private readonly attempts: OnboardingAttemptsService,
    private readonly clock: Clock,
    private readonly config: ApiConfig,
  ) {}

  onModuleInit(): void {
    this.tasks.register('onboarding-attempts-retention', this.config.RETENTION_INTERVAL_MINUTES * 60_000, () =>
      this.attempts.deleteStartedBefore(new Date(this.clock.now().getTime() - KEEP_DAYS * 24 * 3600_000)),
    );
  }
}
