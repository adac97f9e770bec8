import { Body, Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ConfirmSelectionRequest,
  DisconnectRequest,
  EmbeddedSignupRequest,
  ImportFromTokenRequest,
  OAuthCallbackRequest,
  OAuthEndedRequest,
  type EmbeddedSignupConfigView,
  type OnboardingSessionView,
  type WhatsAppStatusView,
} from '@waba/contracts';
import { CurrentTenant, type AuthenticatedRequest, type TenantContext } from '../common/auth/auth.decorators';
import { ApiConfig } from '../config/api-config';
import { OnboardingAttemptsService } from '../onboarding-attempts/onboarding-attempts.service';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import { OAuthStateService } from './oauth-state.service';
import { OnboardingService } from './onboarding.service';
import { WhatsAppOAuthGuard } from './whatsapp-oauth.guard';
import type { RedirectGrant } from './whatsapp-oauth.strategy';
import { LimitMetaCalls } from '../common/rate-limits/meta-call-limit.guard';
import { ApiErrorResponse, ApiRoute } from '../openapi/api-route.decorator';

/** Connect WhatsApp: both consent flows, the picker, status and disconnect (the original paths kept). */
@ApiTags('whatsapp')
@Controller('integrations/whatsapp')
export class OAuthController {
  constructor(
    private readonly onboarding: OnboardingService,
    private readonly phoneNumbers: PhoneNumbersService,
    private readonly states: OAuthStateService,
    private readonly attempts: OnboardingAttemptsService,
    private readonly config: ApiConfig,
  ) {}

  /** What the SPA needs to load the SDK and run Embedded Signup. */
  @ApiRoute({ summary: "What the SPA needs to load Meta's SDK and run Embedded Signup", returns: 'EmbeddedSignupConfigView', errors: [401, 503] })
  @Get('embedded-signup/config')
  embeddedSignupConfig(): EmbeddedSignupConfigView {
    return {
      appId: this.config.META_APP_ID,
      configId: this.config.META_CONFIG_ID,
      sdkUrl: this.config.META_SDK_URL,
      apiVersion: this.config.META_API_VERSION,
      // The popup (Meta's dialog: https://www.facebook.com, or the sandbox) posts the WA_EMBEDDED_SIGNUP messages.
      messageOrigin: new URL(this.config.META_DIALOG_URL).origin,
    };
  }

  @ApiRoute({
    summary: 'Exchange the Embedded Signup code and discover what Meta granted',
    description: 'Send the code at once: it lives 30 seconds.',
    status: 201,
    returns: 'OnboardingSessionView',
    errors: [400, 401, 403, 429, 502, 503],
  })
  @Post('embedded-signup')
  @LimitMetaCalls('Embedded Signup')
  fromEmbeddedSignup(@CurrentTenant() tenant: TenantContext, @Body() body: EmbeddedSignupRequest): Promise<OnboardingSessionView> {
    return this.onboarding.fromEmbeddedSignup(tenant, body);
  }

  /** Redirect flow, step 1: a full-page navigation here is answered with a 302 to Meta's dialog. */
  @ApiOperation({ summary: "Redirect flow, step 1: answers with a redirect to Meta's consent dialog", description: 'A full-page navigation, not an XHR call.' })
  @ApiResponse({
    status: 302,
    description: "Redirect to Meta's consent dialog (Location)",
    headers: { Location: { description: "Meta's dialog, with client_id, redirect_uri, state and config_id", schema: { type: 'string' } } },
  })
  @ApiErrorResponse(401)
  @ApiErrorResponse(429)
  @ApiErrorResponse(503)
  @Get('oauth/start')
  @UseGuards(WhatsAppOAuthGuard)
  // Below: decorators apply bottom-up, so the limit is checked before passport runs.
  @LimitMetaCalls('connect')
  startRedirect(): void {
    // passport-facebook has already redirected the browser.
  }

  /** Redirect flow, step 2 (an original endpoint, kept as it was): the callback page posts `{ code, state }`. */
  @ApiRoute({
    summary: "Redirect flow, step 2 (an original endpoint): exchange the callback's code for this tenant's state",
    status: 201,
    returns: 'OnboardingSessionView',
    errors: [400, 401, 403, 429, 502, 503],
  })
  @Post('oauth')
  @UseGuards(WhatsAppOAuthGuard)
  @LimitMetaCalls('code exchange')
  fromRedirect(@CurrentTenant() tenant: TenantContext, @Body() _body: OAuthCallbackRequest, @Req() request: AuthenticatedRequest & { user?: RedirectGrant }): Promise<OnboardingSessionView> {
    return this.onboarding.fromRedirect(tenant, request.user as RedirectGrant);
  }

  /** Redirect flow, step 2 without a code: the state is used up and its attempt recorded as cancelled or failed. */
  @ApiRoute({
    summary: "Redirect flow, step 2 when Meta's page came back without a code (cancelled or refused): ends the attempt the state began",
    status: 204,
    returns: null,
    errors: [400, 401, 403, 503],
  })
  @Post('oauth/ended')
  @HttpCode(204)
  async redirectEnded(@CurrentTenant() tenant: TenantContext, @Body() body: OAuthEndedRequest): Promise<void> {
    await this.attempts.redirectEnded(tenant, await this.states.consume(tenant, body.state), body);
  }

  @ApiRoute({ summary: 'Connected WABAs, numbers and credential health (an original endpoint)', returns: 'WhatsAppStatusView', errors: [401, 503] })
  @Get('oauth/status')
  status(@CurrentTenant() tenant: TenantContext): Promise<WhatsAppStatusView> {
    return this.phoneNumbers.status(tenant);
  }

  @ApiRoute({ summary: 'Import from Meta: discover what a pasted token can manage', status: 201, returns: 'OnboardingSessionView', errors: [400, 401, 403, 429, 502, 503] })
  @Post('import')
  @LimitMetaCalls('import')
  importFromToken(@CurrentTenant() tenant: TenantContext, @Body() body: ImportFromTokenRequest): Promise<OnboardingSessionView> {
    return this.onboarding.importFromToken(tenant, body.accessToken);
  }

  @ApiRoute({ summary: 'An onboarding session: the WABAs and numbers to pick from', returns: 'OnboardingSessionView', errors: [401, 404, 503] })
  @Get('onboarding/:sessionId')
  session(@CurrentTenant() tenant: TenantContext, @Param('sessionId') sessionId: string): Promise<OnboardingSessionView> {
    return this.onboarding.getSession(tenant, sessionId);
  }

  @ApiRoute({ summary: 'Connect the picked numbers: subscribe the WABA, register each number', returns: 'OnboardingSessionView', errors: [400, 401, 403, 404, 503] })
  @Post('onboarding/:sessionId/confirm')
  @HttpCode(200)
  confirm(@CurrentTenant() tenant: TenantContext, @Param('sessionId') sessionId: string, @Body() body: ConfirmSelectionRequest): Promise<OnboardingSessionView> {
    return this.onboarding.confirm(tenant, sessionId, body.phoneNumberIds);
  }

  @ApiRoute({ summary: 'Disconnect a number or a whole WABA (an original endpoint)', returns: 'WhatsAppStatusView', errors: [400, 401, 403, 404, 503] })
  @Post('disconnect')
  @HttpCode(200)
  disconnect(@CurrentTenant() tenant: TenantContext, @Body() body: DisconnectRequest): Promise<WhatsAppStatusView> {
    return this.phoneNumbers.disconnect(tenant, body);
  }
}
