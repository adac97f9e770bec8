/**
 * Tenants ("accounts"), their users and invitations, browser sessions and operator grants. Owns
 * the global SessionGuard that every other module relies on for the caller's tenant.
 */
import { Module, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { ScheduledTasks } from '../jobs/scheduled-tasks';
import { APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditModule } from '../audit/audit.module';
import { ApiConfig } from '../config/api-config';
import { SharedThrottlerStorage } from '../redis/shared-throttler-storage';
import { Account, AccountSchema } from './account.schema';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { Invitation, InvitationSchema } from './invitation.schema';
import { InvitationMailer } from './invitation-mailer';
import { InvitationsController } from './invitations.controller';
import { InvitationsRepository } from './invitations.repository';
import { OperatorGrant, OperatorGrantSchema } from './operator-grant.schema';
import { OperatorGrantsRepository } from './operator-grants.repository';
import { OperatorGrantsService } from './operator-grants.service';
import { PasswordHasher } from './password-hasher';
import { PeopleService } from './people.service';
import { Session, SessionSchema } from './session.schema';
import { SessionGuard } from './session.guard';
import { User, UserSchema } from './user.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Account.name, schema: AccountSchema },
      { name: User.name, schema: UserSchema },
      { name: Session.name, schema: SessionSchema },
      { name: Invitation.name, schema: InvitationSchema },
      { name: OperatorGrant.name, schema: OperatorGrantSchema },
    ]),
    // Counters in Redis, so the limit holds across every instance behind the load balancer.
    ThrottlerModule.forRootAsync({
      inject: [ApiConfig, SharedThrottlerStorage],
      useFactory: (config: ApiConfig, storage: SharedThrottlerStorage) => ({
        throttlers: [{ name: 'auth', ttl: 60_000, limit: config.AUTH_RATE_LIMIT_PER_MINUTE }],
        storage,
      }),
    }),
    AuditModule,
  ],
  controllers: [AuthController, AccountsController, InvitationsController],
  providers: [
    AccountsRepository,
    AccountsService,
    InvitationsRepository,
    OperatorGrantsRepository,
    AuthService,
    PeopleService,
    OperatorGrantsService,
    InvitationMailer,
    PasswordHasher,
    { provide: APP_GUARD, useClass: SessionGuard },
  ],
  exports: [AuthService, OperatorGrantsService, AccountsService],
})
export class AccountsModule implements OnModuleInit {
  constructor(
    private readonly tasks: ScheduledTasks,
    private readonly repository: AccountsRepository,
    private readonly clock: Clock,
    private readonly config: ApiConfig,
  ) {}

  /** Expired sessions are refused already; the clean-up only keeps the collection small. */
  onModuleInit(): void {
    this.tasks.register('session-retention', this.config.RETENTION_INTERVAL_MINUTES * 60_000, async () => ({ sessions: await this.repository.deleteExpiredSessions(this.clock.now()) }));
  }
}
