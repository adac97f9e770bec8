import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { PhoneNumberView, WhatsAppStatusView } from '@waba/contracts';
import { CurrentTenant, type TenantContext } from '../common/auth/auth.decorators';
import { PhoneNumbersService } from './phone-numbers.service';
import { LimitMetaCalls } from '../common/rate-limits/meta-call-limit.guard';
import { ApiRoute } from '../openapi/api-route.decorator';

@ApiTags('phone-numbers')
@Controller('phone-numbers')
export class PhoneNumbersController {
  constructor(private readonly phoneNumbers: PhoneNumbersService) {}

  @ApiRoute({ summary: 'Your WABAs and numbers', returns: 'WhatsAppStatusView', errors: [401, 503] })
  @Get()
  list(@CurrentTenant() tenant: TenantContext): Promise<WhatsAppStatusView> {
    return this.phoneNumbers.status(tenant);
  }

  @ApiRoute({ summary: 'Make a connected number the active one', returns: 'PhoneNumberView', errors: [400, 401, 403, 404, 503] })
  @Post(':phoneNumberId/active')
  @HttpCode(200)
  selectActive(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string): Promise<PhoneNumberView> {
    return this.phoneNumbers.selectActive(tenant, phoneNumberId);
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
