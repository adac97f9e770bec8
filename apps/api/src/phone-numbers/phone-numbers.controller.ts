import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { PhoneNumberView, WhatsAppStatusView } from '@waba/contracts';
import { CurrentTenant, type TenantContext } from '../common/auth/auth.decorators';
import { PhoneNumbersService } from './phone-numbers.service';
import { LimitMetaCalls } from '../common/rate-limits/meta-call-limit.guard';

@ApiTags('phone-numbers')
@Controller('phone-numbers')
export class PhoneNumbersController {
  constructor(private readonly phoneNumbers: PhoneNumbersService) {}

  @Get()
  list(@CurrentTenant() tenant: TenantContext): Promise<WhatsAppStatusView> {
    return this.phoneNumbers.status(tenant);
  }

  @Post(':phoneNumberId/active')
  @HttpCode(200)
  selectActive(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string): Promise<PhoneNumberView> {
    return this.phoneNumbers.selectActive(tenant, phoneNumberId);
  }

  /** "Test connection": refresh the number's data from Meta. */
  @Post(':phoneNumberId/refresh')
  @LimitMetaCalls('refresh')
  @HttpCode(200)
  refresh(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string): Promise<PhoneNumberView> {
    return this.phoneNumbers.refresh(tenant, phoneNumberId);
  }

  @Post(':phoneNumberId/disconnect')
  @HttpCode(200)
  disconnect(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string): Promise<WhatsAppStatusView> {
    return this.phoneNumbers.disconnect(tenant, { phoneNumberId });
  }
}
