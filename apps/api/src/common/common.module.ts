import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CsrfGuard } from './auth/csrf';
import { Clock } from './clock/clock';
import { DomainEvents } from './events/domain-events';

/** Cross-cutting providers every feature module may inject. */
@Global()
@Module({
  providers: [Clock, DomainEvents, { provide: APP_GUARD, useClass: CsrfGuard }],
  exports: [Clock, DomainEvents],
})
export class CommonModule {}
