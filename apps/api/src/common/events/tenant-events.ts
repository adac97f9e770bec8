import type { TenantEventType } from '@waba/contracts';

/** How far a message got: a status never goes back to a lower rank (a late `delivered` after `read`). */
export const MESSAGE_STATUS_RANK: Readonly<Record<string, number>> = { sent: 10, delivered: 20, read: 30, played: 40, failed: 50 };

/** One status of one message (`sent` … `failed`, see MESSAGE_STATUS_RANK). */
export interface MessageStatusRecord {
  messageId: string;
  status: string;
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
