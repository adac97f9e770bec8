import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ManualPhoneNumberRequest, type PhoneNumberView } from '@waba/contracts';
import { CurrentTenant, type TenantContext } from '../common/auth/auth.decorators';
import { ManualNumbersService } from './manual-numbers.service';
import { LimitMetaCalls } from '../common/rate-limits/meta-call-limit.guard';
import { ApiRoute } from '../openapi/api-route.decorator';

/**
 * The original manual add, kept; credentials are verified with Meta before anything is saved, and a
 * working credential from Meta's consent is replaced only when the request says so (409 otherwise).
 */
@ApiTags('whatsapp')
@Controller('settings/phone-numbers')
export class ManualNumbersController {
  constructor(private readonly manualNumbers: ManualNumbersService) {}

  @ApiRoute({
    summary: 'Add a number by hand (an original endpoint); Meta verifies the token and the number first',
    description: 'When the WABA already works with a credential from Embedded Signup or OAuth, answers 409 (code credential_choice_needed) unless credentialChoice is keep-existing or use-new.',
    status: 201,
    returns: 'PhoneNumberView',
    errors: [400, 401, 403, 409, 429, 502, 503],
  })
  @Post()
  @LimitMetaCalls('manual add')
  add(@CurrentTenant() tenant: TenantContext, @Body() body: ManualPhoneNumberRequest): Promise<PhoneNumberView> {
    return this.manualNumbers.add(tenant, body);
  }
}
