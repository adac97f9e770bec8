/** Kinds of tenant events shown on the Events page (and its filter). */
export type TenantEventType =
  | 'message.received'
  | 'message.status'
  | 'account.update'
  | 'phone_number.quality'
  | 'phone_number.name'
  | 'phone_number.active'
  | 'phone_number.health'
  | 'message.sent_from_app'
  | 'phone_number.settings'
  | 'template.status';

export const TENANT_EVENT_TYPES: TenantEventType[] = [
  'message.received',
  'message.status',
  'account.update',
  'phone_number.quality',
  'phone_number.name',
  'phone_number.active',
  'phone_number.health',
  'message.sent_from_app',
  'phone_number.settings',
  'template.status',
];

/** One thing Meta told us about a tenant's WhatsApp assets, as applied. */
export interface TenantEventView {
  id: string;
  type: TenantEventType;
  title: string;
  detail: string | null;
  phoneNumberId: string | null;
  wabaId: string | null;
  occurredAt: string;
  receivedAt: string;
}

export interface EventsPageView {
  items: TenantEventView[];
  page: number;
  pageSize: number;
  total: number;
}

export type WebhookDeliveryStatus = 'received' | 'applied' | 'unroutable' | 'rejected';

/** Operators' view of a raw delivery that could not be applied (no payload: it may hold personal data). */
export interface WebhookDeliveryView {
  id: string;
  status: WebhookDeliveryStatus;
  receivedAt: string;
  sizeBytes: number;
  attempts: number;
  error: string | null;
  unroutableIds: string[];
}
