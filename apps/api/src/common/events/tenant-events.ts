import type { TenantEventType } from '@waba/contracts';

/** One status of one message, sent 10 … failed 50. */
export interface MessageStatusRecord {
  messageId: string;
  status: string;
  rank: number;
}

/**
 * An entry for a tenant's Events page, as the modules that produce one (webhooks, templates,
 * number settings) hand it to the webhooks module's EventsService, which stores and pushes it.
 */
export interface NewTenantEvent {
  key: string;
  type: TenantEventType;
  title: string;
  detail: string | null;
  phoneNumberId: string | null;
  wabaId: string | null;
  occurredAt: Date;
  receivedAt: Date;
  messageId: string | null;
  statuses?: MessageStatusRecord[];
}
