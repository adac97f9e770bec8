import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { SandboxClock } from '../common/sandbox-clock';
import { SANDBOX_OPTIONS, SandboxOptions } from '../sandbox-options';
import { WorldStore } from '../world/world.store';
import { assetChoicePage, blockedBusinessPage, businessChoicePage, dialogErrorPage, popupResultPage, STEP_ASSETS } from './consent-pages';
import { DialogParams, isPopupFlow, readDialogParams } from './dialog-params';
import { sdkScript } from './sdk-script';
import { SignupService } from './signup.service';

const DAY_S = 24 * 3600;

/** Facebook Login's dialog (redirect and Embedded Signup popup) and the stand-in `sdk.js`. */
@Controller()
export class DialogController {
  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: SandboxOptions,
    private readonly world: WorldStore,
    private readonly signup: SignupService,
    private readonly clock: SandboxClock,
  ) {}

  @Get(['sdk.js', ':locale/sdk.js'])
  sdk(@Req() request: Request, @Res() response: Response): void {
    const origin = this.options.publicUrl ? new URL(this.options.publicUrl).origin : `${request.protocol}://${request.get('host')}`;
    response.type('application/javascript').set('Cache-Control', 'no-cache').send(sdkScript(origin));
  }

  @Get(':version/dialog/oauth')
  dialog(@Param('version') version: string, @Query() query: Record<string, unknown>, @Res() response: Response): void {
    const params = readDialogParams(query);
    const problem = this.signup.problemWith(params);
    if (problem) {
      response.status(400).type('html').send(dialogErrorPage(problem.message));
      return;
    }
    const business = typeof query['business_id'] === 'string' ? this.world.businesses.get(query['business_id']) : undefined;
    if (!business) {
      const businesses = this.signup.selectableBusinesses();
      const count = (id: string) => this.world.wabasOwnedBy(id).length;
      response.type('html').send(businessChoicePage(version, params, businesses, count));
      return;
    }
    response.type('html').send(this.assetsPage(version, params, business.id));
  }

  @Post(':version/dialog/oauth/confirm')
  confirm(@Param('version') version: string, @Body() body: Record<string, unknown>, @Res() response: Response): void {
    const params = readDialogParams(body);
    const problem = this.signup.problemWith(params);
    if (problem) {
      response.status(400).type('html').send(dialogErrorPage(problem.message));
      return;
    }
    const business = typeof body['business_id'] === 'string' ? this.world.businesses.get(body['business_id']) : undefined;
    const step = typeof body['step'] === 'string' ? body['step'] : STEP_ASSETS;
    if (body['action'] === 'cancel' || !business) {
      this.endWithoutCode(response, params, { reason: 'user_denied', step });
      return;
    }
    if (business.onboardingBlockedReason) {
      this.endWithoutCode(response, params, { reason: 'business_refused', step, error: business.onboardingBlockedReason });
      return;
    }
    const wabaIds = list(body['waba_ids']);
    if (wabaIds.length === 0) {
      response.type('html').send(this.assetsPage(version, params, business.id, 'Choose at least one WhatsApp Business Account.'));
      return;
    }
    const { code, message } = this.signup.complete(params, business, wabaIds, list(body['phone_number_ids']));
    if (isPopupFlow(params)) {
      const authResponse = {
        code,
        userID: null,
        expiresIn: null,
        graphDomain: 'facebook',
        data_access_expiration_time: this.clock.nowSeconds() + 90 * DAY_S,
      };
      response.type('html').send(popupResultPage(params.origin ?? '', message, { authResponse, status: 'connected' }));
      return;
    }
    response.redirect(302, redirectTarget(params, { code, ...(params.state && { state: params.state }) }));
  }

  private assetsPage(version: string, params: DialogParams, businessId: string, problem?: string): string {
    const business = this.world.businesses.get(businessId);
    if (!business) return dialogErrorPage('Unknown business.');
    if (business.onboardingBlockedReason) return blockedBusinessPage(version, params, business);
    const accounts = this.world.wabasOwnedBy(business.id).map((waba) => ({ waba, phoneNumbers: this.world.phoneNumbersOf(waba.id) }));
    return assetChoicePage(version, params, business, accounts, this.signup.onlyWabaSharing(params), problem);
  }

  /** Cancel or refusal: a CANCEL message in the popup, Meta's error parameters on the redirect. */
  private endWithoutCode(response: Response, params: DialogParams, outcome: { reason: 'user_denied' | 'business_refused'; step: string; error?: string }): void {
    if (isPopupFlow(params)) {
      const message = outcome.error ? this.signup.errorMessage(params, outcome.error) : this.signup.abandonMessage(params, outcome.step);
      response.type('html').send(popupResultPage(params.origin ?? '', message, { authResponse: null, status: 'unknown' }));
      return;
    }
    const error =
      outcome.reason === 'user_denied'
        ? { error: 'access_denied', error_code: '200', error_description: 'Permissions error', error_reason: 'user_denied' }
        : { error: 'server_error', error_code: '1', error_description: outcome.error ?? '', error_reason: 'business_refused' };
    response.redirect(302, redirectTarget(params, { ...error, ...(params.state && { state: params.state }) }));
  }
}

/** The redirect_uri with our parameters added; Meta also appends the `#_=_` fragment. */
function redirectTarget(params: DialogParams, values: Record<string, string>): string {
  const url = new URL(params.redirect_uri ?? '');
  for (const [key, value] of Object.entries(values)) url.searchParams.set(key, value);
  url.hash = '_=_';
  return url.toString();
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}
