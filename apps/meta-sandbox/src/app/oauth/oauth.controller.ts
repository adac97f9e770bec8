import { Controller, Get, Inject, Param, Req, UseFilters } from '@nestjs/common';
import { AccessTokenResult, DebugTokenData, secretsEqual } from '@waba/meta-graph';
import { Request } from 'express';
import { GraphException } from '../common/graph-exception';
import { GraphExceptionFilter } from '../common/graph-exception.filter';
import { SandboxClock } from '../common/sandbox-clock';
import { GraphAuthService, param } from '../graph/graph-auth.service';
import { GraphFaultsService } from '../graph/graph-faults.service';
import { requireVersion } from '../graph/graph-version';
import { SANDBOX_OPTIONS, SandboxOptions } from '../sandbox-options';
import { AccessTokenRecord } from '../world/world.types';
import { AccessTokensService } from './access-tokens.service';
import { AuthorizationCodesService } from './authorization-codes.service';

/** `/oauth/access_token` (code exchange and `fb_exchange_token`) and `/debug_token`. */
@Controller()
@UseFilters(GraphExceptionFilter)
export class OAuthController {
  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: SandboxOptions,
    private readonly codes: AuthorizationCodesService,
    private readonly tokens: AccessTokensService,
    private readonly auth: GraphAuthService,
    private readonly faults: GraphFaultsService,
    private readonly clock: SandboxClock,
  ) {}

  @Get(':version/oauth/access_token')
  async accessToken(@Param('version') version: string, @Req() request: Request): Promise<AccessTokenResult> {
    requireVersion(version);
    await this.faults.apply('GET /oauth/access_token');
    if (param(request, 'client_id') !== this.options.appId) {
      throw new GraphException({ code: 101, message: 'Error validating application. Invalid application ID.' });
    }
    if (!secretsEqual(param(request, 'client_secret') ?? '', this.options.appSecret)) {
      throw new GraphException({ code: 1, message: 'Error validating client secret.' });
    }
    if (param(request, 'grant_type') === 'fb_exchange_token') {
      const current = param(request, 'fb_exchange_token');
      if (!current) throw GraphException.invalidParameter('Missing fb_exchange_token parameter');
      return this.result(this.tokens.extend(current));
    }
    const code = param(request, 'code');
    if (!code) throw GraphException.invalidParameter('Missing authorization code');
    const grant = this.codes.redeem(code, param(request, 'redirect_uri'));
    return this.result(this.tokens.issueForGrant(grant));
  }

  @Get(':version/debug_token')
  async debugToken(@Param('version') version: string, @Req() request: Request): Promise<{ data: DebugTokenData }> {
    requireVersion(version);
    await this.faults.apply('GET /debug_token');
    this.auth.requireAppToken(request);
    const input = param(request, 'input_token');
    if (!input) throw GraphException.invalidParameter('(#100) The parameter input_token is required');
    this.tokens.countDebugCall(input);
    return { data: this.tokens.describe(input) };
  }

  /** `expires_in` is left out for tokens that never expire. */
  private result(token: AccessTokenRecord): AccessTokenResult {
    const expiresIn = token.expiresAtMs === null ? undefined : Math.max(0, Math.floor((token.expiresAtMs - this.clock.nowMs()) / 1000));
    return { access_token: token.value, token_type: 'bearer', ...(expiresIn !== undefined && { expires_in: expiresIn }) };
  }
}
