// WhatsApp webhook delivery shapes as Meta sends them (docs/meta.md §6.4–6.6, §9.3–9.5), and the readers the API uses on them.
import { readTemplateChange, type TemplateChangeContent, type TemplateWebhookChange, type TemplateWebhookField } from './message-templates';

export type WebhookField = 'messages' | 'account_update' | 'phone_number_quality_update' | 'phone_number_name_update' | TemplateWebhookField;

export interface WebhookPayload {
  object: 'whatsapp_business_account';
  entry: WebhookEntry[];
}

export interface WebhookEntry {
  /** The WABA id, except for `PARTNER_*` account updates, where it is the partner's business id. */
  id: string;
  /** Unix seconds; present on account-level fields. */
  time?: number;
  changes: WebhookChange[];
}

export type WebhookChange =
  | { field: 'messages'; value: MessagesValue }
  | { field: 'account_update'; value: AccountUpdateValue }
  | { field: 'phone_number_quality_update'; value: PhoneNumberQualityUpdateValue }
  | { field: 'phone_number_name_update'; value: PhoneNumberNameUpdateValue }
  /** The four template fields (message-templates.ts): WABA-level, routed by `entry[].id`. */
  | TemplateWebhookChange;

export interface MessagesValue {
  messaging_product: 'whatsapp';
  metadata: { display_phone_number: string; phone_number_id: string };
  contacts?: { profile: { name: string }; wa_id: string }[];
  messages?: InboundMessage[];
  statuses?: MessageStatus[];
  errors?: WebhookError[];
}

export interface InboundMessage {
  from: string;
  id: string;
  timestamp: string;
  type: 'text' | 'reaction';
  text?: { body: string };
  /** An empty emoji removes the reaction. */
  reaction?: { message_id: string; emoji: string };
}

export type MessageStatusValue = 'sent' | 'delivered' | 'read' | 'failed' | 'played';

export interface MessageStatus {
  id: string;
  status: MessageStatusValue;
  timestamp: string;
  recipient_id: string;
  pricing?: { billable?: boolean; pricing_model: string; type: string; category: string };
  errors?: WebhookError[];
}

export interface WebhookError {
  code: number;
  title: string;
  message?: string;
  error_data?: { details: string };
  href?: string;
}

export type AccountUpdateEvent =
  | 'PARTNER_ADDED'
  | 'PARTNER_REMOVED'
  | 'PARTNER_APP_INSTALLED'
  | 'PARTNER_APP_UNINSTALLED'
  | 'ACCOUNT_VIOLATION'
  | 'ACCOUNT_RESTRICTION'
  | 'DISABLED_UPDATE'
  | 'ACCOUNT_DELETED'
  | 'ACCOUNT_OFFBOARDED'
  | 'ACCOUNT_RECONNECTED';

export interface AccountUpdateValue {
  event: AccountUpdateEvent;
  waba_info?: {
    waba_id: string;
    owner_business_id: string;
    partner_app_id?: string;
    solution_id?: string;
    solution_partner_business_ids?: string[];
  };
  disconnection_info?: { reason: string; initiated_by: string };
  violation_info?: { violation_type: string };
  restriction_info?: { restriction_type: string; expiration: number }[];
  ban_info?: { waba_ban_state: string; waba_ban_date: string };
}

export interface PhoneNumberQualityUpdateValue {
  display_phone_number: string;
  event: string;
  old_limit?: string;
  current_limit?: string;
  max_daily_conversations_per_business?: string;
}

export interface PhoneNumberNameUpdateValue {
  display_phone_number: string;
  decision: 'APPROVED' | 'DECLINED' | 'DEFERRED' | 'PENDING';
  requested_verified_name: string;
  rejection_reason?: string | null;
}

/**
 * What a delivery may hold: Meta's shapes with every field optional. A webhook body is data from
 * outside; nothing in it is trusted until one of the readers below has checked it.
 */
export type Received<T> = T extends readonly (infer U)[] ? Received<U>[] : T extends object ? { [K in keyof T]?: Received<T[K]> } : T;
export type ReceivedWebhook = Received<WebhookPayload>;

/** The body as an envelope, or null when it is not a JSON object (stored as rejected, never applied). */
export function parseWebhookBody(rawBody: string): ReceivedWebhook | null {
  try {
    const parsed: unknown = JSON.parse(rawBody);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as ReceivedWebhook) : null;
  } catch {
    return null;
  }
}

/** One entry of a delivery in our terms: `id` is the WABA (or, for PARTNER_* events, the partner's business). */
export interface WebhookEntryContent {
  id: string | null;
  /** Unix seconds; Meta sends it on account-level fields. */
  time: number | null;
  changes: WebhookChangeContent[];
}

/** One change, read into our own terms; a field Meta left out is null. */
export type WebhookChangeContent =
  | { kind: 'messages'; phoneNumberId: string | null; messages: ReceivedMessage[]; statuses: ReceivedStatus[] }
  | { kind: 'account-update'; wabaId: string | null; event: string | null; disconnectionReason: string | null }
  | { kind: 'quality-update'; displayPhoneNumber: string | null; event: string | null; messagingLimit: string | null }
  | { kind: 'name-update'; displayPhoneNumber: string | null; decision: string | null; requestedName: string | null; rejectionReason: string | null }
  | TemplateChangeContent
  /** A field we do not subscribe to: acknowledged and ignored. */
  | { kind: 'other'; field: string | null };

export interface ReceivedMessage {
  id: string;
  from: string | null;
  /** The sender's WhatsApp profile name, from the change's `contacts`. */
  senderName: string | null;
  /** Unix seconds. */
  timestamp: number | null;
  /** Meta's message type: text, reaction, image, … */
  type: string | null;
  text: string | null;
  /** A reaction's emoji; an empty string means the reaction was removed. */
  reactionEmoji: string | null;
}

export interface ReceivedStatus {
  messageId: string;
  status: string;
  /** Unix seconds. */
  timestamp: number | null;
  recipientId: string | null;
  errors: Array<{ code: number | null; title: string | null }>;
}

/** The entries of a delivery, each change read field by field. */
export function readWebhookEntries(envelope: ReceivedWebhook): WebhookEntryContent[] {
  return asArray(envelope.entry).map((entry) => ({
    id: text(entry?.id),
    time: unixSeconds(entry?.time),
    changes: asArray(entry?.changes).map((change) => readChange(change ?? {})),
  }));
}

/** The WABA and number ids a delivery names, as routing reads them. */
export function idsNamedBy(envelope: ReceivedWebhook): { wabaIds: string[]; phoneNumberIds: string[] } {
  const wabaIds = new Set<string>();
  const phoneNumberIds = new Set<string>();
  for (const entry of readWebhookEntries(envelope)) {
    if (entry.id) wabaIds.add(entry.id);
    for (const change of entry.changes) {
      if (change.kind === 'account-update' && change.wabaId) wabaIds.add(change.wabaId);
      if (change.kind === 'messages' && change.phoneNumberId) phoneNumberIds.add(change.phoneNumberId);
    }
  }
  return { wabaIds: [...wabaIds], phoneNumberIds: [...phoneNumberIds] };
}

function readChange(change: Received<WebhookChange>): WebhookChangeContent {
  switch (change.field) {
    case 'messages': {
      const value = change.value ?? {};
      const contacts = asArray(value.contacts);
      return {
        kind: 'messages',
        phoneNumberId: text(value.metadata?.phone_number_id),
        messages: asArray(value.messages).flatMap((message) => {
          const id = text(message?.id);
          if (!id || !message) return [];
          const from = text(message.from);
          const reaction = message.reaction;
          return [
            {
              id,
              from,
              senderName: text(contacts.find((contact) => contact?.wa_id === from)?.profile?.name),
              timestamp: unixSeconds(message.timestamp),
              type: text(message.type),
              text: text(message.text?.body),
              reactionEmoji: reaction ? (typeof reaction.emoji === 'string' ? reaction.emoji : '') : null,
            },
          ];
        }),
        statuses: asArray(value.statuses).flatMap((status) => {
          const messageId = text(status?.id);
          const state = text(status?.status);
          if (!messageId || !state || !status) return [];
          const errors = asArray(status.errors).map((error) => ({ code: typeof error?.code === 'number' ? error.code : null, title: text(error?.title) }));
          return [{ messageId, status: state, timestamp: unixSeconds(status.timestamp), recipientId: text(status.recipient_id), errors }];
        }),
      };
    }
    case 'account_update': {
      const value = change.value ?? {};
      return { kind: 'account-update', wabaId: text(value.waba_info?.waba_id), event: text(value.event), disconnectionReason: text(value.disconnection_info?.reason) };
    }
    case 'phone_number_quality_update': {
      const value = change.value ?? {};
      return {
        kind: 'quality-update',
        displayPhoneNumber: text(value.display_phone_number),
        event: text(value.event),
        // The newer field first: Meta still sends the older `current_limit` beside it.
        messagingLimit: text(value.max_daily_conversations_per_business) ?? text(value.current_limit),
      };
    }
    case 'phone_number_name_update': {
      const value = change.value ?? {};
      return {
        kind: 'name-update',
        displayPhoneNumber: text(value.display_phone_number),
        decision: text(value.decision),
        requestedName: text(value.requested_verified_name),
        rejectionReason: text(value.rejection_reason),
      };
    }
    default:
      return readTemplateChange(change) ?? { kind: 'other', field: text(change.field) };
  }
}

/** The list, or none when Meta sent something else (or nothing). */
function asArray<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Meta writes message timestamps as strings of unix seconds and entry times as numbers. */
function unixSeconds(value: unknown): number | null {
  const seconds = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}
