// Webhook bodies in the shapes Meta sends (docs/meta.md §9.3–9.5), built by small factories.
import { signWebhookPayload } from '@waba/meta-graph';
import { APP_SECRET } from '../meta-app';

export function signed(body: string | Buffer, secret = APP_SECRET): { body: Buffer; signature: string } {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return { body: bytes, signature: signWebhookPayload(bytes, secret) };
}

export function envelope(wabaId: string, changes: Array<{ field: string; value: object }>, time?: number): object {
  return { object: 'whatsapp_business_account', entry: [{ id: wabaId, ...(time ? { time } : {}), changes }] };
}

export function inboundMessage(wabaId: string, phoneNumberId: string, message: { id: string; text: string; from?: string; name?: string }): object {
  const from = message.from ?? '447700900123';
  return envelope(wabaId, [
    {
      field: 'messages',
      value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '15550100199', phone_number_id: phoneNumberId },
        contacts: [{ profile: { name: message.name ?? 'Dana Lee' }, wa_id: from }],
        messages: [{ from, id: message.id, timestamp: '1767225600', type: 'text', text: { body: message.text } }],
      },
    },
  ]);
}

export function statuses(wabaId: string, phoneNumberId: string, items: Array<{ id: string; status: string; timestamp?: number }>): object {
  return envelope(wabaId, [
    {
      field: 'messages',
      value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '15550100199', phone_number_id: phoneNumberId },
        statuses: items.map((s, i) => ({ id: s.id, status: s.status, timestamp: String(s.timestamp ?? 1767225700 + i), recipient_id: '447700900123' })),
      },
    },
  ]);
}

/** PARTNER_* events: `entry[].id` is the partner's business, the client's WABA is in `waba_info`. */
/** A customer reacting to one of our messages with an emoji (Meta's `reaction` message type). */
export function reactionMessage(wabaId: string, phoneNumberId: string, id: string, emoji: string): object {
  return envelope(wabaId, [
    {
      field: 'messages',
      value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '15550100199', phone_number_id: phoneNumberId },
        contacts: [{ profile: { name: 'Dana Lee' }, wa_id: '447700900123' }],
        messages: [{ from: '447700900123', id, timestamp: '1767225600', type: 'reaction', reaction: { message_id: 'wamid.OURS', emoji } }],
      },
    },
  ]);
}

export function accountUpdate(wabaId: string, event: string, partnerBusinessId = '700000000000099'): object {
  return envelope(partnerBusinessId, [{ field: 'account_update', value: { event, waba_info: { waba_id: wabaId, owner_business_id: '700000000000003' } } }], 1767226000);
}

export function qualityUpdate(wabaId: string, displayPhoneNumber: string, event: string, limit: string): object {
  return envelope(wabaId, [{ field: 'phone_number_quality_update', value: { display_phone_number: displayPhoneNumber, event, max_daily_conversations_per_business: limit } }]);
}

export function nameUpdate(wabaId: string, displayPhoneNumber: string, decision: string, name: string): object {
  return envelope(wabaId, [{ field: 'phone_number_name_update', value: { display_phone_number: displayPhoneNumber, decision, requested_verified_name: name, rejection_reason: null } }]);
}
