// Webhook entries Meta sends for numbers on the WhatsApp Business app (coexistence): the contacts
// (`smb_app_state_sync`), the chat history (`history`, in phases and chunks) and the business's own
// messages sent from the app (`smb_message_echoes`). Shapes per docs/meta.md "WhatsApp Business app numbers".
import { HISTORY_DECLINED_CODE, HistoryChunk, HistoryThread, WebhookEntry } from '@waba/meta-graph';
import { randomBytes } from 'node:crypto';
import { PhoneNumberRecord } from '../world/world.types';

const DAY_S = 24 * 3600;

/** Made-up contacts of the business's address book, the same in every run. */
const APP_CONTACTS = [
  { full_name: 'Pablo Morales', first_name: 'Pablo', phone_number: '16505551234' },
  { full_name: 'Dana Lee', first_name: 'Dana', phone_number: '447700900123' },
];

export function stateSyncEntry(phone: PhoneNumberRecord, nowS: number): WebhookEntry {
  return {
    id: phone.wabaId,
    changes: [
      {
        field: 'smb_app_state_sync',
        value: {
          messaging_product: 'whatsapp',
          metadata: metadataOf(phone),
          state_sync: APP_CONTACTS.map((contact) => ({ type: 'contact', contact, action: 'add', metadata: { timestamp: String(nowS) } })),
        },
      },
    ],
  };
}

/**
 * The history, one entry per chunk: phase 0 (day 0–1), 1 (day 1–90), 2 (day 90–180), progress
 * rising to 100. Chunks may arrive out of order on Meta's side; the sandbox sends them in order.
 * When the business declined to share, one entry carrying error 2593109 instead.
 */
export function historyEntries(phone: PhoneNumberRecord, nowS: number): WebhookEntry[] {
  if (phone.historySharingDeclined) {
    return [
      historyEntry(phone, {
        errors: [
          {
            code: HISTORY_DECLINED_CODE,
            title: 'History sync is turned off by the business',
            message: 'History sync is turned off by the business',
            error_data: { details: 'The business chose not to share its chat history.' },
          },
        ],
      }),
    ];
  }
  const business = digitsOf(phone);
  const plan: Array<{ phase: number; progress: number; daysAgo: number }> = [
    { phase: 0, progress: 30, daysAgo: 0.5 },
    { phase: 1, progress: 70, daysAgo: 30 },
    { phase: 2, progress: 100, daysAgo: 120 },
  ];
  return plan.map(({ phase, progress, daysAgo }, i) => {
    const at = Math.floor(nowS - daysAgo * DAY_S);
    const threads: HistoryThread[] = APP_CONTACTS.map((contact) => ({
      id: contact.phone_number,
      messages: [
        { from: contact.phone_number, id: newWamid(), timestamp: String(at), type: 'text', text: { body: `Hello from ${contact.first_name}` }, history_context: { status: 'READ' } },
        { from: business, to: contact.phone_number, id: newWamid(), timestamp: String(at + 60), type: 'text', text: { body: 'Thanks, see you soon' }, history_context: { status: 'DELIVERED' } },
      ],
    }));
    return historyEntry(phone, { metadata: { phase, chunk_order: i + 1, progress }, threads });
  });
}

export function echoEntry(phone: PhoneNumberRecord, message: { to: string; text: string }, nowS: number): WebhookEntry {
  return {
    id: phone.wabaId,
    changes: [
      {
        field: 'smb_message_echoes',
        value: {
          messaging_product: 'whatsapp',
          metadata: metadataOf(phone),
          message_echoes: [{ from: digitsOf(phone), to: message.to, id: newWamid(), timestamp: String(nowS), type: 'text', text: { body: message.text } }],
        },
      },
    ],
  };
}

function historyEntry(phone: PhoneNumberRecord, chunk: HistoryChunk): WebhookEntry {
  return { id: phone.wabaId, changes: [{ field: 'history', value: { messaging_product: 'whatsapp', metadata: metadataOf(phone), history: [chunk] } }] };
}

function metadataOf(phone: PhoneNumberRecord) {
  return { display_phone_number: digitsOf(phone), phone_number_id: phone.id };
}

function digitsOf(phone: PhoneNumberRecord): string {
  return phone.displayPhoneNumber.replace(/\D/g, '');
}

function newWamid(): string {
  return `wamid.${randomBytes(27).toString('base64')}`;
}
