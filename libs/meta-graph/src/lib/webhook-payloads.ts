// WhatsApp webhook delivery shapes (meta-platform.md §6.4-6.6, §9.3-9.5).

export type WebhookField =
  | 'messages'
  | 'account_update'
  | 'phone_number_quality_update'
  | 'phone_number_name_update';

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
  | { field: 'phone_number_name_update'; value: PhoneNumberNameUpdateValue };

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
  type: 'text';
  text: { body: string };
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
