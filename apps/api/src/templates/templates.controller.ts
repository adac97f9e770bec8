import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { MessageTemplatesQuery, type MessageTemplatesPageView, type TemplateSyncView } from '@waba/contracts';
import { CurrentTenant, type TenantContext } from '../common/auth/auth.decorators';
import { LimitMetaCalls } from '../common/rate-limits/meta-call-limit.guard';
import { ApiRoute } from '../openapi/api-route.decorator';
import { TemplatesService } from './templates.service';

@ApiTags('templates')
@Controller('wabas/:wabaId/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @ApiRoute({ summary: "A connected WABA's message templates as mirrored from Meta, filtered by status, category or language", returns: 'MessageTemplatesPageView', errors: [400, 401, 404, 503] })
  @Get()
  list(@CurrentTenant() tenant: TenantContext, @Param('wabaId') wabaId: string, @Query() query: MessageTemplatesQuery): Promise<MessageTemplatesPageView> {
    return this.templates.list(tenant, wabaId, query);
  }

  @ApiRoute({ summary: "Read the WABA's templates from Meta again now (every page)", returns: 'TemplateSyncView', errors: [401, 403, 404, 429, 502, 503] })
  @Post('sync')
  @LimitMetaCalls('templates-sync')
  @HttpCode(200)
  sync(@CurrentTenant() tenant: TenantContext, @Param('wabaId') wabaId: string): Promise<TemplateSyncView> {
    return this.templates.syncNow(tenant, wabaId);
  }
}
