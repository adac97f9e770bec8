/**
 * TokenRefresh: keeps every Meta credential alive. Checks due credentials with `debug_token`,
 * extends expiring ones, marks dead ones `needs_reauth` and tells the tenant (product.md flow 5).
 * `TokenRefreshModule` is the check itself (also used by `cli.js tokens-check`); `forRole` adds
 * the schedule in processes whose INSTANCE_ROLE runs jobs.
 */
import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import type { ApiConfig } from '../config/api-config';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditModule } from '../audit/audit.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { TokenCheckClaim, TokenCheckClaimSchema } from './token-check-claim.schema';
import { TokenCheckRun, TokenCheckRunSchema } from './token-check-run.schema';
import { TokenCheckRepository } from './token-check.repository';
import { TokenCheckRunsRepository } from './token-check-runs.repository';
import { TokenCheckScheduler } from './token-check.scheduler';
import { TokenCheckService } from './token-check.service';
import { TokenSweepService } from './token-sweep.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: TokenCheckRun.name, schema: TokenCheckRunSchema },
      { name: TokenCheckClaim.name, schema: TokenCheckClaimSchema },
    ]),
    CredentialsModule,
    PhoneNumbersModule,
    RealtimeModule,
    AuditModule,
  ],
  providers: [TokenCheckRepository, TokenCheckRunsRepository, TokenCheckService, TokenSweepService],
  exports: [TokenSweepService, TokenCheckRunsRepository],
})
export class TokenRefreshModule {
  static forRole(config: ApiConfig): DynamicModule {
    return config.runsJobs ? { module: TokenRefreshModule, imports: [ScheduleModule.forRoot()], providers: [TokenCheckScheduler] } : { module: TokenRefreshModule };
  }
}
