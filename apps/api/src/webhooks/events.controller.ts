import { Controller, Get, ParseIntPipe, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { EventsPageView, WebhookDeliveryView } from '@waba/contracts';
import { CurrentTenant, OperatorOnly, type TenantContext } from '../common/auth/auth.decorators';
import { EventsService } from './events.service';
import { ApiRoute } from '../openapi/api-route.decorator';

@ApiTags('events')
@Controller()
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @ApiRoute({ summary: 'What Meta told us about your WhatsApp assets, newest first (paged)', returns: 'EventsPageView', errors: [400, 401, 503] })
  @ApiQuery({ name: 'types', required: false, description: 'Comma-separated event types to show' })
  @ApiQuery({ name: 'page', required: false, type: Number, description: 'From 1' })
  @ApiQuery({ name: 'pageSize', required: false, type: Number, description: '1 to 200' })
  @Get('events')
  list(
    @CurrentTenant() tenant: TenantContext,
    @Query('types') types?: string,
    @Query('page', new ParseIntPipe({ optional: true })) page?: number,
    @Query('pageSize', new ParseIntPipe({ optional: true })) pageSize?: number,
  ): Promise<EventsPageView> {
    return this.events.list(tenant, { types, page, pageSize });
  }

  @OperatorOnly()
  @ApiRoute({ summary: 'Operators: stored deliveries that could not be applied (unroutable or rejected), without payloads', returns: ['WebhookDeliveryView'], errors: [400, 401, 403, 503] })
  @ApiQuery({ name: 'status', required: false, enum: ['unroutable', 'rejected'] })
  @Get('operator/webhook-deliveries')
  problems(@Query('status') status?: string): Promise<WebhookDeliveryView[]> {
    return this.events.problemDeliveries(status);
  }
}
