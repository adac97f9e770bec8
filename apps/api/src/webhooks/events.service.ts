import { Injectable } from '@nestjs/common';
import { TENANT_EVENT_TYPES, type EventsPageView, type TenantEventType, type WebhookDeliveryStatus, type WebhookDeliveryView } from '@waba/contracts';
import type { TenantContext } from '../common/auth/auth.decorators';
import type { DomainEventMap } from '../common/events/domain-events';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { randomUUID } from 'node:crypto';
import { InvalidRequestError } from '../common/errors/domain-errors';
import { WebhooksRepository, type NewTenantEvent } from './webhooks.repository';

/** Far beyond any real history at 200 a page; keeps the skip a database can handle. */
const MAX_PAGE = 10_000;

@Injectable()
export class EventsService {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly gateway: RealtimePublisher,
  ) {}

  /** Stores tenant events (a key already stored is skipped) and pushes the new ones live: the one way events are written. */
  async record(events: Array<{ accountId: string; event: NewTenantEvent }>): Promise<void> {
    const created = await this.repository.insertEvents(events);
    for (const { accountId, view } of created) this.gateway.publish(accountId, { type: 'event.created', event: view });
  }

  /** The active number changed without anyone choosing it: an event on the tenant's Events page, pushed live. */
  recordActiveNumberChange(change: DomainEventMap['active-number.changed']): Promise<void> {
    return this.record([
      {
        accountId: change.accountId,
        event: {
          key: `active:${randomUUID()}`,
          type: 'phone_number.active',
          title: change.title,
          detail: change.detail,
          phoneNumberId: change.phoneNumberId,
          wabaId: change.wabaId,
          occurredAt: change.occurredAt,
          receivedAt: change.occurredAt,
          messageId: null,
        },
      },
    ]);
  }

  lastWebhookAt(accountId: string, wabaId: string): Promise<Date | null> {
    return this.repository.lastWebhookEventAt(accountId, wabaId);
  }

  async list(tenant: TenantContext, query: { types?: string; page?: number; pageSize?: number }): Promise<EventsPageView> {
    const types = query.types ? query.types.split(',').map((t) => t.trim()) : [];
    const unknown = types.filter((t) => !TENANT_EVENT_TYPES.includes(t as TenantEventType));
    if (unknown.length) throw new InvalidRequestError(`Unknown event type ${unknown.join(', ')}; use ${TENANT_EVENT_TYPES.join(', ')}`);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 25;
    if (page < 1 || page > MAX_PAGE || pageSize < 1 || pageSize > 200) throw new InvalidRequestError(`page must be between 1 and ${MAX_PAGE}, and pageSize between 1 and 200`);
    const { items, total } = await this.repository.listEvents(tenant.accountId, { types: types as TenantEventType[], page, pageSize });
    return { items, page, pageSize, total };
  }

  /** Operators: deliveries that need a look, across tenants, without their payloads. */
  problemDeliveries(status?: string): Promise<WebhookDeliveryView[]> {
    const allowed: WebhookDeliveryStatus[] = ['unroutable', 'rejected'];
    if (status && !allowed.includes(status as WebhookDeliveryStatus)) throw new InvalidRequestError('status must be unroutable or rejected');
    return this.repository.listDeliveries(status ? [status as WebhookDeliveryStatus] : allowed, 200);
  }
}
