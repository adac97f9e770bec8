import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import type { StrategyCreatedStatic } from 'passport';
import { Strategy as FacebookStrategy, type StrategyOptionsWithRequest } from 'passport-facebook';
import type { AuthenticatedRequest } from '../common/auth/auth.decorators';
import { ApiConfig } from '../config/api-config';
import { MetaGraphClient } from '@waba/meta-graph';
import { OnboardingAttemptsService } from '../onboarding-attempts/onboarding-attempts.service';
import { OAuthStateService } from './oauth-state.service';

export const WHATSAPP_OAUTH = 'whatsapp-oauth';

/** What the strategy hands the controller after a successful code exchange. */
export interface RedirectGrant {
  accessToken: string;
  /** The onboarding attempt the redirect's state began. */
  attemptId: string | null;
}

/** The SPA page Meta redirects back to; the code is then posted to the API with the state. */
export function callbackUrl(config: ApiConfig): string {
  return `${config.publicUrl}/integrations/whatsapp/callback`;
}

/**
 * The redirect flow through passport-facebook, with Meta's (or the sandbox's) dialog and token
 * URLs from configuration, `config_id` instead of scopes, our tenant-bound state store, and no
 * profile fetch (discovery reads what it needs). The callback itself (a `code` to exchange) is
 * handled here: the state is used up in our store and the code exchanged by our one Graph client
 * (GET, the same redirect_uri, Meta's errors classified), not by passport-oauth2's HTTP client.
 */
@Injectable()
export class WhatsAppOAuthStrategy extends PassportStrategy(FacebookStrategy, WHATSAPP_OAUTH) {
  constructor(
    private readonly config: ApiConfig,
    private readonly states: OAuthStateService,
    private readonly graph: MetaGraphClient,
    private readonly attempts: OnboardingAttemptsService,
  ) {
    const version = config.META_API_VERSION;
    super({
      clientID: config.META_APP_ID,
      clientSecret: config.META_APP_SECRET,
      callbackURL: callbackUrl(config),
      authorizationURL: `${config.META_DIALOG_URL}/${version}/dialog/oauth`,
      tokenURL: `${config.META_GRAPH_URL}/${version}/oauth/access_token`,
      passReqToCallback: true,
      skipUserProfile: true,
      store: {
        store: (req: AuthenticatedRequest, _meta: unknown, done: (err: Error | null, state?: string) => void) => {
          if (!req.tenant) return done(new Error('No tenant on the request'));
          states.issue(req.tenant).then((state) => done(null, state), done);
        },
        // Callbacks never reach passport-oauth2's own state check (see authenticate).
        verify: (_req: unknown, _state: string, _meta: unknown, done: (err: Error | null, ok?: boolean) => void) => done(null, false),
      },
    } as StrategyOptionsWithRequest & Record<string, unknown>);
  }

  /** A request with a code is a callback (ours to finish); anything else goes to passport-facebook. */
  override authenticate(req: Request & AuthenticatedRequest, options?: object): void {
    const code = fieldOf(req, 'code');
    if (!code || req.query?.['error'] || req.query?.['error_code']) return super.authenticate(req, options);
    const strategy = this as unknown as StrategyCreatedStatic;
    this.finishCallback(req, code).then(
      (grant) => strategy.success(grant),
      (error: unknown) => strategy.error(error),
    );
  }

  private async finishCallback(req: AuthenticatedRequest & Request, code: string): Promise<RedirectGrant> {
    const tenant = req.tenant;
    if (!tenant) throw new Error('No tenant on the request');
    const attemptId = await this.states.consume(tenant, fieldOf(req, 'state'));
    await this.attempts.consentFinished(tenant, attemptId);
    const result = await this.graph.exchangeCode({ code, redirectUri: callbackUrl(this.config) }).catch(async (error: unknown) => {
      await this.attempts.failed(tenant, attemptId, error);
      throw error;
    });
    return { accessToken: result.access_token, attemptId };
  }

  /** Facebook Login for Business: the configuration id replaces scopes. */
  override authorizationParams(): Record<string, string> {
    return { config_id: this.config.META_CONFIG_ID, override_default_response_type: 'true' };
  }

  /** Passport's verify step; only reached through passport-facebook's own flow, which never gets this far here. */
  validate(_req: Request, accessToken: string): RedirectGrant {
    return { accessToken, attemptId: null };
  }
}

/** A callback parameter from the posted body (our SPA) or the query string (a direct redirect). */
function fieldOf(req: Request, name: 'code' | 'state'): string | undefined {
  const value: unknown = (req.body as Record<string, unknown> | undefined)?.[name] ?? req.query?.[name];
  return typeof value === 'string' && value ? value : undefined;
}
