import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { CoexistenceSyncView } from '@waba/contracts';
import { CurrentTenant, type TenantContext } from '../common/auth/auth.decorators';
import { ApiRoute } from '../openapi/api-route.decorator';
import { CoexistenceService } from './coexistence.service';

@ApiTags('phone-numbers')
@Controller('phone-numbers/coexistence')
export class CoexistenceController {
  constructor(private readonly coexistence: CoexistenceService) {}

  @ApiRoute({
    summary: 'WhatsApp Business app numbers: their contacts and chat history synchronisation',
    description: 'One entry per number connected from the WhatsApp Business app (coexistence), with each kind’s state and the history’s progress.',
    returns: ['CoexistenceSyncView'],
    errors: [401, 503],
  })
  @Get()
  list(@CurrentTenant() tenant: TenantContext): Promise<CoexistenceSyncView[]> {
    return this.coexistence.list(tenant);
  }
}
