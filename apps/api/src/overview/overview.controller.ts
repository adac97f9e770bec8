import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { OverviewView } from '@waba/contracts';
import { CurrentTenant, type TenantContext } from '../common/auth/auth.decorators';
import { ApiRoute } from '../openapi/api-route.decorator';
import { OverviewService } from './overview.service';

@ApiTags('overview')
@Controller('overview')
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  @ApiRoute({ summary: "The tenant's dashboard: numbers by status, what needs attention, consents in progress and the latest events", returns: 'OverviewView', errors: [401, 503] })
  @Get()
  get(@CurrentTenant() tenant: TenantContext): Promise<OverviewView> {
    return this.overview.overview(tenant);
  }
}
