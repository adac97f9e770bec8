import { Controller, Get, Param, Req, UseFilters } from '@nestjs/common';
import { DEFAULT_GRAPH_API_VERSION, type AppSubscription, type GraphList } from '@waba/meta-graph';
import { Request } from 'express';
import { GraphException } from '../common/graph-exception';
import { GraphExceptionFilter } from '../common/graph-exception.filter';
import { WorldStore } from '../world/world.store';
import { GraphAuthService } from './graph-auth.service';
import { requireVersion } from './graph-version';

/** What the sandbox's app is subscribed to in its dashboard (Webhooks > WhatsApp Business Account) unless the control API changed it. */
export const APP_WEBHOOK_FIELDS = [
  'account_update',
  'messages',
  'phone_number_name_update',
  'phone_number_quality_update',
  'message_template_status_update',
  'message_template_quality_update',
  'template_category_update',
  'message_template_components_update',
];

/**
 * `GET /{app-id}/subscriptions` with the app access token: the app-level webhook subscription
 * (docs/meta.md §13). Registered before the Graph catch-all routes, which would take the path.
 */
@Controller()
@UseFilters(GraphExceptionFilter)
export class AppSubscriptionsController {
  constructor(
    private readonly world: WorldStore,
    private readonly auth: GraphAuthService,
  ) {}

  @Get(':version/:appId/subscriptions')
  list(@Param('version') version: string, @Param('appId') appId: string, @Req() request: Request): GraphList<AppSubscription> {
    requireVersion(version);
    if (appId !== this.world.app.id) throw GraphException.objectNotFound(appId, 'get');
    this.auth.requireAppToken(request);
    const callbackUrl = this.world.settings.webhookUrl;
    if (!callbackUrl) return { data: [] };
    const fields = this.world.settings.appWebhookFields ?? APP_WEBHOOK_FIELDS;
    return { data: [{ object: 'whatsapp_business_account', callback_url: callbackUrl, active: true, fields: fields.map((name) => ({ name, version: DEFAULT_GRAPH_API_VERSION })) }] };
  }
}
