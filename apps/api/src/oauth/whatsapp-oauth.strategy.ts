import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy as FacebookStrategy, type StrategyOptionsWithRequest } from 'passport-facebook';
import type { AuthenticatedRequest } from '../common/auth/auth.decorators';
import { ApiConfig } from '../config/api-config';
import { MetaGraphClient } from '@waba/meta-graph';
import { OAuthStateService } from './oauth-state.service';

export const WHATSAPP_OAUTH = 'whatsapp-oauth';

interface OAuth2Exchange {
  getOAuthAccessToken(
    code: string,
    params: { redirect_uri?: string },
    callback: (error: Error | null, accessToken?: string, refreshToken?: string, results?: unknown) => void,
  ): void;
}

/** What the strategy hands the controller after a successful code exchange. */
export interface RedirectGrant {
  accessToken: string;
}

/** The SPA page Meta redirects back to; the code is then posted to the API with the state. */
export function callbackUrl(config: ApiConfig): string {
  return `${config.publicUrl}/integrations/whatsapp/callback`;
}

/**
 * The redirect flow through passport-facebook, with Meta's (or the sandbox's) dialog and token
 * URLs from configuration, `config_id` instead of scopes, our tenant-bound state store, and no
 * profile fetch (discovery reads what it needs).
 */
@Injectable()
export class WhatsAppOAuthStrategy extends PassportStrategy(FacebookStrategy, WHATSAPP_OAUTH) {
  constructor(
    private readonly config: ApiConfig,
    states: OAuthStateService,
    graph: MetaGraphClient,
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
        verify: (req: AuthenticatedRequest, state: string, _meta: unknown, done: (err: Error | null, ok?: boolean, info?: unknown) => void) => {
          if (!req.tenant) return done(new Error('No tenant on the request'));
          states.consume(req.tenant, state).then(
            () => done(null, true),
            (error: Error) => done(null, false, { message: error.message }),
          );
        },
      },
    } as StrategyOptionsWithRequest & Record<string, unknown>);
    // The code exchange goes through our one Graph client (GET, same redirect_uri, classified errors).
    (this as unknown as { _oauth2: OAuth2Exchange })._oauth2.getOAuthAccessToken = (code, params, callback) => {
      graph.exchangeCode({ code, redirectUri: params.redirect_uri }).then(
        (result) => callback(null, result.access_token, undefined, result),
        (error: Error) => callback(error),
      );
    };
  }

  /** Facebook Login for Business: the configuration id replaces scopes. */
  override authorizationParams(): Record<string, string> {
    return { config_id: this.config.META_CONFIG_ID, override_default_response_type: 'true' };
  }

  validate(_req: Request, accessToken: string): RedirectGrant {
    return { accessToken };
  }
}
