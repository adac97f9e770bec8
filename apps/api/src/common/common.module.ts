import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CsrfGuard } from './auth/csrf';
import { Clock } from './clock/clock';

/** Cross-cutting providers every feature module may inject. */
@Global()
@Module({
  providers: [Clock, { provide: APP_GUARD, useClass: CsrfGuard }],
  exports: [Clock],
})
export class CommonModule {}
