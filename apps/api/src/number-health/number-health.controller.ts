import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { NumberHealthListView, NumberHealthView } from '@waba/contracts';
import { CurrentTenant, type TenantContext } from '../common/auth/auth.decorators';
import { LimitMetaCalls } from '../common/rate-limits/meta-call-limit.guard';
import { ApiRoute } from '../openapi/api-route.decorator';
import { NumberHealthService } from './number-health.service';

@ApiTags('number-health')
@Controller('number-health')
export class NumberHealthController {
  constructor(private readonly health: NumberHealthService) {}

  @ApiRoute({ summary: 'Can each number send? The last verdict per connected number, with every check in words', returns: 'NumberHealthListView', errors: [401, 503] })
  @Get()
  list(@CurrentTenant() tenant: TenantContext): Promise<NumberHealthListView> {
    return this.health.list(tenant);
  }

  @ApiRoute({ summary: 'Check now: read every connected WABA from Meta again (one Graph call per WABA)', returns: 'NumberHealthListView', errors: [401, 403, 429, 503] })
  @Post('check')
  @LimitMetaCalls('number health check')
  @HttpCode(200)
  check(@CurrentTenant() tenant: TenantContext): Promise<NumberHealthListView> {
    return this.health.refreshTenant(tenant);
  }

  @ApiRoute({
    summary: "The fix 'subscribe again': subscribe our app to the WABA's webhooks (this also removes a callback override set elsewhere)",
    returns: ['NumberHealthView'],
    errors: [400, 401, 403, 404, 429, 503],
  })
  @Post('wabas/:wabaId/resubscribe')
  @LimitMetaCalls('subscribe again')
  @HttpCode(200)
  resubscribe(@CurrentTenant() tenant: TenantContext, @Param('wabaId') wabaId: string): Promise<NumberHealthView[]> {
    return this.health.resubscribe(tenant, wabaId);
  }

  @ApiRoute({
    summary:
      "The fix 'register again': register the number on the Cloud API with the two-step PIN we keep (one attempt, counted in the number's registration budget; 409 when Meta's 10 per 72 hours are used up or Meta blocked registering)",
    returns: ['NumberHealthView'],
    errors: [400, 401, 403, 404, 409, 429, 503],
  })
  @Post(':phoneNumberId/re-register')
  @LimitMetaCalls('register again')
  @HttpCode(200)
  reRegister(@CurrentTenant() tenant: TenantContext, @Param('phoneNumberId') phoneNumberId: string): Promise<NumberHealthView[]> {
    return this.health.reRegister(tenant, phoneNumberId);
  }
}
