/**
 * Tenants ("accounts"), their admin users, and browser sessions. Owns the global SessionGuard
 * that every other module relies on for the caller's tenant.
 */
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { ThrottlerModule } from '@nestjs/throttler';
import { ApiConfig } from '../config/api-config';
import { SharedThrottlerStorage } from '../redis/shared-throttler-storage';
import { Account, AccountSchema } from './account.schema';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { PasswordHasher } from './password-hasher';
import { Session, SessionSchema } from './session.schema';
import { SessionGuard } from './session.guard';
import { User, UserSchema } from './user.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Account.name, schema: AccountSchema },
      { name: User.name, schema: UserSchema },
      { name: Session.name, schema: SessionSchema },
    ]),
    // Counters in Redis, so the limit holds across every instance behind the load balancer.
    ThrottlerModule.forRootAsync({
      inject: [ApiConfig],
      useFactory: (config: ApiConfig) => ({
        throttlers: [{ name: 'auth', ttl: 60_000, limit: config.AUTH_RATE_LIMIT_PER_MINUTE }],
        storage: new SharedThrottlerStorage(config),
      }),
    }),
  ],
  controllers: [AuthController, AccountsController],
  providers: [AccountsRepository, AuthService, PasswordHasher, { provide: APP_GUARD, useClass: SessionGuard }],
  exports: [AuthService],
})
export class AccountsModule {}
