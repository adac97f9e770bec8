/**
 * The webhook bodies the benchmarks send and store: a single inbound message, or a batch of 50
 * statuses (about 10 KB). Each call gives new message ids, so no two bodies are the same bytes.
 */
export type PayloadKind = 'message' | 'statuses50';
let counter = 0;

export function payload(kind: PayloadKind, wabaId: string, phoneNumberId: string): string {
  const id = `${process.pid}.${Date.now()}.${counter++}`;
  const metadata = { display_phone_number: '15550100901', phone_number_id: phoneNumberId };
  const value =
    kind === 'message'
      ? {
          messaging_product: 'whatsapp',
          metadata,
          contacts: [{ profile: { name: 'Dana Lee' }, wa_id: '447700900123' }],
          messages: [{ from: '447700900123', id: `wamid.${id}`, timestamp: '1767225600', type: 'text', text: { body: 'Do you deliver on Sundays? Grüße 👋' } }],
        }
      : {
          messaging_product: 'whatsapp',
          metadata,
          statuses: Array.from({ length: 50 }, (_, i) => ({
            id: `wamid.${id}.${i}`,
            status: 'delivered',
            timestamp: '1767225700',
            recipient_id: '447700900123',
            pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' },
          })),
        };
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: wabaId, changes: [{ field: 'messages', value }] }] });
}
