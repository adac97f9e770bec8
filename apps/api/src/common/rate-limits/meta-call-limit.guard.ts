import { CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiConfig } from '../../config/api-config';
import { SharedThrottlerStorage } from '../../redis/shared-throttler-storage';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { TooManyRequestsError } from '../errors/domain-errors';

const WINDOW_MS = 60_000;
const LIMITED_ACTION = 'waba:metaCallAction';

/**
 * Routes that spend the app's shared Meta budget (each call costs Graph requests: debug_token,
 * code exchange, reads) are limited per tenant and per client address, counted in Redis so the
 * limit holds across instances. Over the limit: 429 with Retry-After and a sentence saying when.
 */
export const LimitMetaCalls = (action: string) => applyDecorators(SetMetadata(LIMITED_ACTION, action), UseGuards(MetaCallLimitGuard));

@Injectable()
export class MetaCallLimitGuard implements CanActivate {
  constructor(
    private readonly storage: SharedThrottlerStorage,
    private readonly reflector: Reflector,
    private readonly config: ApiConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const action = this.reflector.get<string>(LIMITED_ACTION, context.getHandler()) ?? 'meta';
    const limits = [
      { key: `meta:tenant:${request.tenant?.accountId ?? 'anonymous'}`, limit: this.config.META_CALLS_PER_TENANT_PER_MINUTE, who: 'your account' },
      { key: `meta:address:${request.ip ?? 'unknown'}`, limit: this.config.META_CALLS_PER_ADDRESS_PER_MINUTE, who: 'your network address' },
    ];
    for (const { key, limit, who } of limits) {
      const seconds = await this.storage.secondsToWait(key, limit, WINDOW_MS, 'meta');
      // The exception filter turns the wait into the Retry-After header.
      if (seconds !== null) throw new TooManyRequestsError(`Too many requests to Meta from ${who} (${action}): at most ${limit} a minute. Try again in ${seconds} seconds.`, seconds);
    }
    return true;
  }
}
