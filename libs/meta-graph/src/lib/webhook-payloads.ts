// WhatsApp webhook delivery shapes as Meta sends them (docs/meta.md §6.4–6.6, §9.3–9.5), and the readers the API uses on them.
import { readTemplateChange, type TemplateChangeContent, type TemplateWebhookChange, type TemplateWebhookField } from './message-templates';

export type WebhookField = 'messages' | 'account_update' | 'phone_number_quality_update' | 'phone_number_name_update' | 'history' | 'smb_app_state_sync' | 'smb_message_echoes' | TemplateWebhookField;

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
  | { field: 'history'; value: HistoryValue }
  | { field: 'smb_app_state_sync'; value: SmbAppStateSyncValue }
  | { field: 'smb_message_echoes'; value: SmbMessageEchoesValue }
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
  /** Meta's reference names REJECTED; older payloads said DECLINED. */
  decision: 'APPROVED' | 'REJECTED' | 'DECLINED' | 'DEFERRED' | 'PENDING';
  requested_verified_name: string;
  rejection_reason?: string | null;
}

// Coexistence fields (docs/meta.md "WhatsApp Business app numbers"): all three name the number in `metadata`.

/** Number of the conversation partner (`threads[].id`), messages in order; no group chats. */
export interface HistoryThread {
  id: string;
  messages: HistoryMessage[];
}

/** A past message; `to` only on messages the business sent. */
export interface HistoryMessage {
  from: string;
  to?: string;
  id: string;
  timestamp: string;
  type: string;
  text?: { body: string };
  history_context?: { status: string };
}

/** One chunk: `phase` 0 (day 0–1), 1 (day 1–90), 2 (day 90–180); `progress` 100 = all sent. Or `errors` (2593109: the business declined). */
export interface HistoryChunk {
  metadata?: { phase: number; chunk_order: number; progress: number };
  threads?: HistoryThread[];
  errors?: WebhookError[];
}

export interface HistoryValue {
  messaging_product: 'whatsapp';
  metadata: { display_phone_number: string; phone_number_id: string };
  history: HistoryChunk[];
}

/** `action` add (added or edited) or remove; names are absent on remove. */
export interface SmbContactChange {
  type: 'contact';
  contact: { full_name?: string; first_name?: string; phone_number: string };
  action: 'add' | 'remove';
  metadata: { timestamp: string };
}

export interface SmbAppStateSyncValue {
  messaging_product: 'whatsapp';
  metadata: { display_phone_number: string; phone_number_id: string };
  state_sync: SmbContactChange[];
}

/** A message the business sent from the WhatsApp Business app (not through the API). */
export interface SmbMessageEcho {
  from: string;
  to: string;
  id: string;
  timestamp: string;
  type: string;
  text?: { body: string };
}

export interface SmbMessageEchoesValue {
  messaging_product: 'whatsapp';
  metadata: { display_phone_number: string; phone_number_id: string };
  message_echoes: SmbMessageEcho[];
}

/** Meta's code in a `history` error when the business chose not to share its chat history. */
export const HISTORY_DECLINED_CODE = 2593109;

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
  | { kind: 'history'; phoneNumberId: string | null; chunks: ReceivedHistoryChunk[] }
  | { kind: 'smb-app-state-sync'; phoneNumberId: string | null; contacts: ReceivedContactChange[] }
  | { kind: 'smb-message-echoes'; phoneNumberId: string | null; echoes: ReceivedEcho[] }
  | TemplateChangeContent
  /** A field we do not subscribe to: acknowledged and ignored. */
  | { kind: 'other'; field: string | null };

/** A history chunk in our terms; `declined` when Meta said the business did not share its history. */
export interface ReceivedHistoryChunk {
  phase: number | null;
  chunkOrder: number | null;
  progress: number | null;
  threads: number;
  messages: number;
  declined: boolean;
  errors: Array<{ code: number | null; title: string | null }>;
}

export interface ReceivedContactChange {
  phoneNumber: string;
  action: 'add' | 'remove';
  fullName: string | null;
}

export interface ReceivedEcho {
  id: string;
  to: string | null;
  timestamp: number | null;
  type: string | null;
  text: string | null;
}

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
      if ((change.kind === 'messages' || change.kind === 'history' || change.kind === 'smb-app-state-sync' || change.kind === 'smb-message-echoes') && change.phoneNumberId) {
        phoneNumberIds.add(change.phoneNumberId);
      }
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
    case 'history':
    case 'smb_app_state_sync':
    case 'smb_message_echoes':
      return readCoexistenceChange(change);
    default:
      return readTemplateChange(change) ?? { kind: 'other', field: text(change.field) };
  }
}

function readCoexistenceChange(change: Received<Extract<WebhookChange, { field: 'history' | 'smb_app_state_sync' | 'smb_message_echoes' }>>): WebhookChangeContent {
  const phoneNumberId = text(change.value?.metadata?.phone_number_id);
  if (change.field === 'history') {
    const value = (change.value ?? {}) as Received<HistoryValue>;
    const chunks = asArray(value.history).map((chunk) => {
      const errors = asArray(chunk?.errors).map((error) => ({ code: typeof error?.code === 'number' ? error.code : null, title: text(error?.title) }));
      const threads = asArray(chunk?.threads);
      return {
        phase: count(chunk?.metadata?.phase),
        chunkOrder: count(chunk?.metadata?.chunk_order),
        progress: count(chunk?.metadata?.progress),
        threads: threads.length,
        messages: threads.reduce((sum, thread) => sum + asArray(thread?.messages).length, 0),
        declined: errors.some((error) => error.code === HISTORY_DECLINED_CODE),
        errors,
      };
    });
    return { kind: 'history', phoneNumberId, chunks };
  }
  if (change.field === 'smb_app_state_sync') {
    const value = (change.value ?? {}) as Received<SmbAppStateSyncValue>;
    const contacts = asArray(value.state_sync).flatMap((item) => {
      const phoneNumber = text(item?.contact?.phone_number);
      if (!phoneNumber || item?.type !== 'contact') return [];
      return [{ phoneNumber, action: item.action === 'remove' ? ('remove' as const) : ('add' as const), fullName: text(item.contact?.full_name) }];
    });
    return { kind: 'smb-app-state-sync', phoneNumberId, contacts };
  }
  const value = (change.value ?? {}) as Received<SmbMessageEchoesValue>;
  const echoes = asArray(value.message_echoes).flatMap((echo) => {
    const id = text(echo?.id);
    if (!id || !echo) return [];
    return [{ id, to: text(echo.to), timestamp: unixSeconds(echo.timestamp), type: text(echo.type), text: text(echo.text?.body) }];
  });
  return { kind: 'smb-message-echoes', phoneNumberId, echoes };
}

/** A whole number ≥ 0 (phases and progress start at 0), or null. */
function count(value: unknown): number | null {
  const n = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : null;
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
