import { BadRequestException, Injectable, type ExecutionContext } from '@nestjs/common';
import { OAuthCallbackRequest } from '@waba/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Request } from 'express';
import { AuthGuard } from '@nestjs/passport';
import { MetaGraphError } from '@waba/meta-graph';
import type { AuthenticatedRequest } from '../common/auth/auth.decorators';
import { DomainError, InvalidRequestError, UpstreamError } from '../common/errors/domain-errors';
import { OnboardingService, rethrowAsDomainError } from './onboarding.service';
import { WHATSAPP_OAUTH } from './whatsapp-oauth.strategy';

/** Runs the passport strategy and turns its failures into clear 4xx/502 answers. */
@Injectable()
export class WhatsAppOAuthGuard extends AuthGuard(WHATSAPP_OAUTH) {
  constructor(private readonly onboarding: OnboardingService) {
    super();
  }

  /**
   * Guards run before validation pipes, and passport treats a POST without `code` as "start":
   * so the callback body is validated here first. A code is recorded as used before passport
   * exchanges it, as Embedded Signup codes are, so a replayed code never reaches Meta.
   */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    if (request.method === 'POST') {
      // Only the two fields: class-transformer throws on some hostile shapes of the rest (a nested `constructor`).
      const posted = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
      // An object in either field is simply not a string: it never reaches class-transformer.
      const field = (value: unknown): unknown => (typeof value === 'object' && value !== null ? [] : value);
      const body = plainToInstance(OAuthCallbackRequest, { code: field(posted['code']), state: field(posted['state']) });
      const problems = validateSync(body).flatMap((e) => Object.values(e.constraints ?? {}));
      if (problems.length) throw new BadRequestException({ message: `Invalid request: ${problems.join('; ')}`, details: problems });
      if (request.tenant) await this.onboarding.refuseReusedCode(request.tenant, body.code);
    }
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(error: unknown, user: T, info: { message?: string } | undefined): T {
    if (error) throw toDomainError(error as Error);
    if (!user) throw new InvalidRequestError(info?.message ?? 'The OAuth callback could not be verified; start the connection again');
    return user;
  }
}

function toDomainError(error: Error): Error {
  // The state store's refusals, already in words.
  if (error instanceof DomainError) return error;
  if (error instanceof MetaGraphError) {
    try {
      rethrowAsDomainError('Meta refused the authorization code')(error);
    } catch (mapped) {
      return mapped as Error;
    }
  }
  // passport-facebook's name for Meta's `error_code` redirect parameters.
  if (error.name === 'FacebookAuthorizationError') return new InvalidRequestError(`Meta reported: ${error.message}`);
  return new UpstreamError('Meta could not be reached to exchange the authorization code; try again');
}
