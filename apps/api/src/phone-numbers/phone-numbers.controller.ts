import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RevealPinRequest, SelectActiveRequest, type PhoneNumberView, type RevealedPinView, type WhatsAppStatusView } from '@waba/contracts';
import { CurrentTenant, type TenantContext } from '../common/auth/auth.decorators';
import { PhoneNumbersService } from './phone-numbers.service';
import { PinRevealService } from './pin-reveal.service';
import { LimitMetaCalls } from '../common/rate-limits/meta-call-limit.guard';
import { ApiRoute } from '../openapi/api-route.decorator';

@ApiTags('phone-numbers')
@Controller('phone-numbers')
export class PhoneNumbersController {
  constructor(
    private readonly phoneNumbers: PhoneNumbersService,
    private readonly pins: PinRevealService,
  ) {}

  @ApiRoute({ summary: 'Your WABAs and numbers', returns: 'WhatsAppStatusView', errors: [401, 503] })
  @Get()
  list(@CurrentTenant() tenant: TenantContext): Promise<WhatsAppStatusView> {
    return this.phoneNumbers.status(tenant);
  }

  @ApiRoute({
    summary: 'Make a connected number the active one',
    description: 'A flagged or restricted number needs acceptWarning: true (409 with the warning in words otherwise).',
    returns: 'PhoneNumberView',
    errors: [400, 401, 403, 404, 409, 503],
  })
  @Post(':phoneNumberId/active')
  @HttpCode(200)
  selectActive(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string, @Body() body: SelectActiveRequest): Promise<PhoneNumberView> {
    return this.phoneNumbers.selectActive(tenant, phoneNumberId, body ?? {});
  }

  @ApiRoute({
    summary: 'Owners: the two-step PIN we set when registering the number, after the password again',
    description: 'The only answer that carries the PIN. Every reveal is audited; 5 attempts per 15 minutes per user.',
    returns: 'RevealedPinView',
    errors: [400, 401, 403, 404, 429, 503],
  })
  @Post(':phoneNumberId/pin/reveal')
  @HttpCode(200)
  revealPin(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string, @Body() body: RevealPinRequest): Promise<RevealedPinView> {
    return this.pins.reveal(tenant, phoneNumberId, body.password);
  }

  /** "Test connection": refresh the number's data from Meta. */
  @ApiRoute({ summary: "Test connection: read the number's data from Meta again", returns: 'PhoneNumberView', errors: [400, 401, 403, 404, 429, 503] })
  @Post(':phoneNumberId/refresh')
  @LimitMetaCalls('refresh')
  @HttpCode(200)
  refresh(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string): Promise<PhoneNumberView> {
    return this.phoneNumbers.refresh(tenant, phoneNumberId);
  }

  @ApiRoute({ summary: 'Disconnect one number', returns: 'WhatsAppStatusView', errors: [401, 403, 404, 503] })
  @Post(':phoneNumberId/disconnect')
  @HttpCode(200)
  disconnect(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string): Promise<WhatsAppStatusView> {
    return this.phoneNumbers.disconnect(tenant, { phoneNumberId });
  }
}
