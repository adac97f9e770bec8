import { Body, Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ConfirmSelectionRequest,
  DisconnectRequest,
  EmbeddedSignupRequest,
  ImportFromTokenRequest,
  OAuthCallbackRequest,
  type EmbeddedSignupConfigView,
  type OnboardingSessionView,
  type WhatsAppStatusView,
} from '@waba/contracts';
import { CurrentTenant, type AuthenticatedRequest, type TenantContext } from '../common/auth/auth.decorators';
import { ApiConfig } from '../config/api-config';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import { OnboardingService } from './onboarding.service';
import { WhatsAppOAuthGuard } from './whatsapp-oauth.guard';
import type { RedirectGrant } from './whatsapp-oauth.strategy';
import { LimitMetaCalls } from '../common/rate-limits/meta-call-limit.guard';

/** Connect WhatsApp: both consent flows, the picker, status and disconnect (the seed's paths kept). */
@ApiTags('whatsapp')
@Controller('integrations/whatsapp')
export class OAuthController {
  constructor(
    private readonly onboarding: OnboardingService,
    private readonly phoneNumbers: PhoneNumbersService,
    private readonly config: ApiConfig,
  ) {}

  /** What the SPA needs to load the SDK and run Embedded Signup. */
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

  @Post('embedded-signup')
  @LimitMetaCalls('Embedded Signup')
  fromEmbeddedSignup(@CurrentTenant() tenant: TenantContext, @Body() body: EmbeddedSignupRequest): Promise<OnboardingSessionView> {
    return this.onboarding.fromEmbeddedSignup(tenant, body);
  }

  /** Redirect flow, step 1: a full-page navigation here is answered with a 302 to Meta's dialog. */
  @Get('oauth/start')
  @UseGuards(WhatsAppOAuthGuard)
  // Below: decorators apply bottom-up, so the limit is checked before passport runs.
  @LimitMetaCalls('connect')
  startRedirect(): void {
    // passport-facebook has already redirected the browser.
  }

  /** Redirect flow, step 2 (the seed's contract): the callback page posts `{ code, state }`. */
  @Post('oauth')
  @UseGuards(WhatsAppOAuthGuard)
  @LimitMetaCalls('code exchange')
  fromRedirect(@CurrentTenant() tenant: TenantContext, @Body() _body: OAuthCallbackRequest, @Req() request: AuthenticatedRequest & { user?: RedirectGrant }): Promise<OnboardingSessionView> {
    return this.onboarding.fromRedirect(tenant, (request.user as RedirectGrant).accessToken);
  }

  @Get('oauth/status')
  status(@CurrentTenant() tenant: TenantContext): Promise<WhatsAppStatusView> {
    return this.phoneNumbers.status(tenant);
  }

  @Post('import')
  @LimitMetaCalls('import')
  importFromToken(@CurrentTenant() tenant: TenantContext, @Body() body: ImportFromTokenRequest): Promise<OnboardingSessionView> {
    return this.onboarding.importFromToken(tenant, body.accessToken);
  }

  @Get('onboarding/:sessionId')
  session(@CurrentTenant() tenant: TenantContext, @Param('sessionId') sessionId: string): Promise<OnboardingSessionView> {
    return this.onboarding.getSession(tenant, sessionId);
  }

  @Post('onboarding/:sessionId/confirm')
  @HttpCode(200)
  confirm(@CurrentTenant() tenant: TenantContext, @Param('sessionId') sessionId: string, @Body() body: ConfirmSelectionRequest): Promise<OnboardingSessionView> {
    return this.onboarding.confirm(tenant, sessionId, body.phoneNumberIds);
  }

  @Post('disconnect')
  @HttpCode(200)
  disconnect(@CurrentTenant() tenant: TenantContext, @Body() body: DisconnectRequest): Promise<WhatsAppStatusView> {
    return this.phoneNumbers.disconnect(tenant, body);
  }
}
