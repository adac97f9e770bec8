import { Body, Controller, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ChangePinRequest,
  RequestDisplayNameRequest,
  RetryNumberRequest,
  UpdateBusinessProfileRequest,
  type BusinessProfileView,
  type DisplayNameView,
  type NumberSettingsView,
  type PhoneNumberView,
  type PinChangedView,
  type RegistrationBudgetView,
} from '@waba/contracts';
import type { Request } from 'express';
import { CurrentTenant, type TenantContext } from '../common/auth/auth.decorators';
import { LimitMetaCalls } from '../common/rate-limits/meta-call-limit.guard';
import { ApiRoute } from '../openapi/api-route.decorator';
import { RegistrationBudgetService } from '../phone-numbers/registration-budget.service';
import { BusinessProfileService } from './business-profile.service';
import { DisplayNameService } from './display-name.service';
import { NumberSettingsService } from './number-settings.service';
import { TwoStepPinService } from './two-step-pin.service';

/** Where the photo route's raw body parser is mounted (create-api-app.ts). */
export const PROFILE_PHOTO_PATH = '/api/phone-numbers/:phoneNumberId/profile/photo';

@ApiTags('number-settings')
@Controller('phone-numbers')
export class NumberSettingsController {
  constructor(
    private readonly settings: NumberSettingsService,
    private readonly profiles: BusinessProfileService,
    private readonly names: DisplayNameService,
    private readonly pins: TwoStepPinService,
    private readonly budget: RegistrationBudgetService,
  ) {}

  @ApiRoute({ summary: "A number's business profile, display name, PIN and registration budget, with Meta's limits", returns: 'NumberSettingsView', errors: [400, 401, 404, 429, 502, 503] })
  @Get(':phoneNumberId/settings')
  @LimitMetaCalls('number settings')
  view(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string): Promise<NumberSettingsView> {
    return this.settings.view(tenant, phoneNumberId);
  }

  @ApiRoute({
    summary: 'Change the business profile (only the fields sent)',
    description: "Meta's limits are checked first: about 1-139 characters, address 256, description 512, email 128, at most 2 websites of 256, one of Meta's categories.",
    returns: 'BusinessProfileView',
    errors: [400, 401, 403, 404, 429, 502, 503],
  })
  @Put(':phoneNumberId/profile')
  @LimitMetaCalls('profile')
  async updateProfile(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string, @Body() body: UpdateBusinessProfileRequest): Promise<BusinessProfileView> {
    return this.profiles.update(tenant, await this.settings.requireNumber(tenant, phoneNumberId), body);
  }

  @ApiRoute({
    summary: 'Set the profile photo (the body is the JPEG or PNG file, at most 5 MB)',
    description: 'Sent to Meta through its Resumable Upload API, then set on the profile by the handle Meta returned.',
    returns: 'BusinessProfileView',
    errors: [400, 401, 403, 404, 413, 429, 502, 503],
  })
  @Post(':phoneNumberId/profile/photo')
  @HttpCode(200)
  @LimitMetaCalls('profile photo')
  async uploadPhoto(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string, @Req() request: Request): Promise<BusinessProfileView> {
    const body: unknown = request.body;
    const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    return this.profiles.uploadPhoto(tenant, await this.settings.requireNumber(tenant, phoneNumberId), bytes, request.headers['content-type']);
  }

  @ApiRoute({
    summary: 'Ask Meta to change the display name',
    description: 'Meta reviews it; the decision arrives by webhook (phone_number_name_update). One change in review at a time, about 10 per 30 days.',
    returns: 'DisplayNameView',
    errors: [400, 401, 403, 404, 409, 429, 502, 503],
  })
  @Post(':phoneNumberId/display-name')
  @HttpCode(200)
  @LimitMetaCalls('display name')
  async requestDisplayName(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string, @Body() body: RequestDisplayNameRequest): Promise<DisplayNameView> {
    return this.names.request(tenant, await this.settings.requireNumber(tenant, phoneNumberId), body.name);
  }

  @ApiRoute({
    summary: 'Register the number again with the stored PIN, so an approved display name shows',
    description: "Spends one of Meta's 10 registration attempts per 72 hours (see registration-budget); refused with 409 when none is left.",
    returns: 'DisplayNameView',
    errors: [400, 401, 403, 404, 409, 429, 502, 503],
  })
  @Post(':phoneNumberId/display-name/reregister')
  @HttpCode(200)
  @LimitMetaCalls('re-register')
  async reregister(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string): Promise<DisplayNameView> {
    return this.names.reregister(tenant, await this.settings.requireNumber(tenant, phoneNumberId));
  }

  @ApiRoute({
    summary: 'Owners: change the two-step PIN, after the password again',
    description: 'The new PIN is stored encrypted and never returned; reveal it with pin/reveal. 5 attempts per 15 minutes per user.',
    returns: 'PinChangedView',
    errors: [400, 401, 403, 404, 409, 429, 502, 503],
  })
  @Post(':phoneNumberId/pin')
  @HttpCode(200)
  @LimitMetaCalls('two-step PIN')
  async changePin(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string, @Body() body: ChangePinRequest): Promise<PinChangedView> {
    return this.pins.change(tenant, await this.settings.requireNumber(tenant, phoneNumberId), body.pin, body.password);
  }

  @ApiRoute({
    summary: 'Retry a number whose connect stopped: the subscription again at once, the registration only with register: true',
    description: "A registration spends one of Meta's 10 attempts per 72 hours: without register: true it is not tried (409 registration_needs_consent, with the budget in words).",
    returns: 'PhoneNumberView',
    errors: [400, 401, 403, 404, 409, 429, 502, 503],
  })
  @Post(':phoneNumberId/retry')
  @HttpCode(200)
  @LimitMetaCalls('retry')
  retry(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string, @Body() body: RetryNumberRequest): Promise<PhoneNumberView> {
    return this.settings.retry(tenant, phoneNumberId, body.register === true);
  }

  @ApiRoute({ summary: "Meta's registration attempts (10 per 72 hours) this number has left, as we counted them", returns: 'RegistrationBudgetView', errors: [401, 404, 503] })
  @Get(':phoneNumberId/registration-budget')
  async registrationBudget(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string): Promise<RegistrationBudgetView> {
    await this.settings.requireNumber(tenant, phoneNumberId);
    return this.budget.budget(tenant.accountId, phoneNumberId);
  }
}
