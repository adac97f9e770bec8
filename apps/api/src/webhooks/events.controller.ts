import { Controller, Get, ParseIntPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EventsPageView, WebhookDeliveryView } from '@waba/contracts';
import { CurrentTenant, OperatorOnly, type TenantContext } from '../common/auth/auth.decorators';
import { EventsService } from './events.service';

@ApiTags('events')
@Controller()
export class EventsController {
  constructor(private readonly events: EventsService) {}

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
  @Get('operator/webhook-deliveries')
  problems(@Query('status') status?: string): Promise<WebhookDeliveryView[]> {
    return this.events.problemDeliveries(status);
  }
}
