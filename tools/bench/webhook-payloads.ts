import { randomBytes, randomInt } from 'node:crypto';

/**
 * The webhook bodies the benchmarks send and store: a single inbound message, or a batch of 50
 * statuses (about 10 KB). Ids, recipients and timestamps vary the way Meta's do (a wamid is base64
 * of the recipient and random bytes), so no two bodies are the same bytes and a stored body
 * compresses about as well as a real one (3-4x with deflate), not 20x as repeated ids would.
 */
export type PayloadKind = 'message' | 'statuses50';

const wamid = (recipient: string) => `wamid.${Buffer.concat([Buffer.from(`\x18\x0c${recipient}\x15\x02\x00\x11\x18\x12`), randomBytes(18)]).toString('base64')}`;
const recipient = () => `4477009${String(randomInt(100_000)).padStart(5, '0')}`;

export function payload(kind: PayloadKind, wabaId: string, phoneNumberId: string): string {
  const metadata = { display_phone_number: '15550100901', phone_number_id: phoneNumberId };
  const now = Math.floor(Date.now() / 1000);
  const customer = recipient();
  const value =
    kind === 'message'
      ? {
          messaging_product: 'whatsapp',
          metadata,
          contacts: [{ profile: { name: 'Dana Lee' }, wa_id: customer }],
          messages: [{ from: customer, id: wamid(customer), timestamp: String(now), type: 'text', text: { body: 'Do you deliver on Sundays? Grüße 👋' } }],
        }
      : {
          messaging_product: 'whatsapp',
          metadata,
          statuses: Array.from({ length: 50 }, (_, i) => {
            const to = recipient();
            const status = i % 3 === 0 ? 'read' : 'delivered';
            return {
              id: wamid(to),
              status,
              timestamp: String(now - randomInt(600)),
              recipient_id: to,
              ...(status === 'delivered' ? { pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' } } : {}),
            };
          }),
        };
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: wabaId, changes: [{ field: 'messages', value }] }] });
}
