import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { sha256Hex } from '../common/crypto/sha256';
import { TooManyRequestsError } from '../common/errors/domain-errors';
import { ApiConfig } from '../config/api-config';
import { SharedThrottlerStorage } from '../redis/shared-throttler-storage';

const WINDOW_MS = 60_000;

/**
 * The public signup-link routes answer anyone holding a link: limited per client address (so
 * tokens cannot be guessed) and per link (so one leaked link cannot be hammered), counted in Redis
 * so the limits hold across instances. Over a limit: 429 with Retry-After and a sentence.
 */
@Injectable()
export class SignupLinkLimitGuard implements CanActivate {
  constructor(
    private readonly storage: SharedThrottlerStorage,
    private readonly config: ApiConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const token = (request.body as { token?: unknown } | undefined)?.token;
    const limits = [
      { key: `signup-link:address:${request.ip ?? 'unknown'}`, limit: this.config.SIGNUP_LINK_REQUESTS_PER_ADDRESS_PER_MINUTE, who: 'your network address' },
      // The token's hash, never the token, names the counter in Redis.
      ...(typeof token === 'string' ? [{ key: `signup-link:link:${sha256Hex(token)}`, limit: this.config.SIGNUP_LINK_REQUESTS_PER_LINK_PER_MINUTE, who: 'this link' }] : []),
    ];
    for (const { key, limit, who } of limits) {
      const seconds = await this.storage.secondsToWait(key, limit, WINDOW_MS, 'signup-link');
      if (seconds !== null) throw new TooManyRequestsError(`Too many requests from ${who}: at most ${limit} a minute. Try again in ${seconds} seconds.`, seconds);
    }
    return true;
  }
}
