/**
 * TokenRefresh: keeps every Meta credential alive. Checks due credentials with `debug_token`,
 * extends expiring ones, marks dead ones `needs_reauth` and tells the tenant (product.md flow 5).
 * Each check is a BullMQ job (token-check-jobs.ts), queued by the sweep's schedule or by
 * `cli.js tokens check`; `forRole` adds the worker and the schedule in processes whose
 * INSTANCE_ROLE runs jobs.
 */
import { DynamicModule, Module } from '@nestjs/common';
import type { ApiConfig } from '../config/api-config';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditModule } from '../audit/audit.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { PhoneNumbersModule } from '../phone-numbers/phone-numbers.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { TokenCheckRun, TokenCheckRunSchema } from './token-check-run.schema';
import { TokenCheckJobs, TokenCheckRunner, TokenChecksProcessor } from './token-check-jobs';
import { TokenCheckRunsRepository } from './token-check-runs.repository';
import { TokenCheckService } from './token-check.service';
import { TokenSweepService } from './token-sweep.service';
import { WabaBackoff } from './waba-backoff';

@Module({
  imports: [MongooseModule.forFeature([{ name: TokenCheckRun.name, schema: TokenCheckRunSchema }]), CredentialsModule, PhoneNumbersModule, RealtimeModule, AuditModule],
  providers: [TokenCheckRunsRepository, TokenCheckService, WabaBackoff, TokenCheckJobs, TokenCheckRunner, TokenSweepService],
  exports: [TokenSweepService],
})
export class TokenRefreshModule {
  static forRole(config: ApiConfig): DynamicModule {
    return { module: TokenRefreshModule, providers: config.runsJobs ? [TokenChecksProcessor] : [] };
  }
}
