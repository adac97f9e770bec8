/** The token check on a schedule, on every API instance; the one place ScheduleModule is registered. */
import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TokenCheckScheduler } from './token-check.scheduler';
import { TokenRefreshModule } from './token-refresh.module';

@Module({
  imports: [ScheduleModule.forRoot(), TokenRefreshModule],
  providers: [TokenCheckScheduler],
  exports: [TokenRefreshModule],
})
export class TokenRefreshScheduleModule {}
