import { randomUUID } from 'node:crypto';
import type { TenantEventType } from '@waba/contracts';
import type { PhoneNumberRecord } from '../phone-numbers/phone-numbers.service';
import type { NewTenantEvent } from '../common/events/tenant-events';

/** A tenant event about one number's settings (Events page, pushed live); never carries a secret. */
export function settingsEvent(
  number: PhoneNumberRecord,
  at: Date,
  title: string,
  detail: string | null,
  type: TenantEventType = 'phone_number.settings',
): { accountId: string; event: NewTenantEvent } {
  return {
    accountId: String(number.accountId),
    event: { key: `settings:${randomUUID()}`, type, title, detail, phoneNumberId: number.phoneNumberId, wabaId: number.wabaId, occurredAt: at, receivedAt: at, messageId: null },
  };
}
