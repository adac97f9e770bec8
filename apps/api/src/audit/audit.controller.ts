import { Controller, DefaultValuePipe, Get, ParseIntPipe, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AuditEntryView } from '@waba/contracts';
import { CurrentTenant, type TenantContext } from '../common/auth/auth.decorators';
import { AuditService } from './audit.service';
import { ApiRoute } from '../openapi/api-route.decorator';

@ApiTags('audit')
@Controller('audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @ApiRoute({ summary: "Your account's audit log, newest first", returns: ['AuditEntryView'], errors: [400, 401, 503] })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: 'How many entries (default 100)' })
  @Get()
  list(
    @CurrentTenant() tenant: TenantContext,
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number,
    /** Entries to skip, newest first: the SPA pages with it. */
    @Query('offset', new DefaultValuePipe(0), ParseIntPipe) offset: number,
  ): Promise<AuditEntryView[]> {
    return this.audit.list(tenant, limit, offset);
  }
}
