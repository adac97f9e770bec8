import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { EventsPageView, TenantEventType, WebhookDeliveryView } from '@waba/contracts';
import { firstValueFrom } from 'rxjs';

/** Contracts' TENANT_EVENT_TYPES restated (types-only import); the Record makes the compiler check it is complete. */
export const EVENT_TYPE_LABELS: Readonly<Record<TenantEventType, string>> = {
  'message.received': 'Messages received',
  'message.status': 'Delivery updates',
  'account.update': 'Account updates',
  'phone_number.quality': 'Quality changes',
  'phone_number.name': 'Name reviews',
  'phone_number.active': 'Active number changes',
  'phone_number.health': 'Sending health changes',
  'message.sent_from_app': 'Sent from the WhatsApp Business app',
  'phone_number.settings': 'Profile, name and PIN changes',
  'template.status': 'Template reviews',
};

export const EVENT_TYPES = Object.keys(EVENT_TYPE_LABELS) as TenantEventType[];

/** The Events page's API: the tenant's events, and operators' problem deliveries. */
@Injectable({ providedIn: 'root' })
export class EventsService {
  private readonly http = inject(HttpClient);

  list(query: { types: readonly TenantEventType[]; page: number; pageSize: number }): Promise<EventsPageView> {
    const params: Record<string, string | number> = { page: query.page, pageSize: query.pageSize };
    if (query.types.length > 0) {
      params['types'] = query.types.join(',');
    }
    return firstValueFrom(this.http.get<EventsPageView>('/api/events', { params }));
  }

  /** Operators only: anyone else gets 403. */
  problemDeliveries(): Promise<WebhookDeliveryView[]> {
    return firstValueFrom(this.http.get<WebhookDeliveryView[]>('/api/operator/webhook-deliveries'));
  }
}
