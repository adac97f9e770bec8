// Result shapes of the Graph API, in Meta's own snake_case field names (docs/meta.md §3, §4, §9).
// They are the wire format: the sandbox produces them and the client returns them unchanged.

export interface GraphPaging {
  cursors?: { before?: string; after?: string };
  next?: string;
  previous?: string;
}

export interface GraphList<T> {
  data: T[];
  paging?: GraphPaging;
}

export interface GraphSuccess {
  success: boolean;
}

export interface GraphErrorBody {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  error_data?: { messaging_product?: 'whatsapp'; details?: string };
  fbtrace_id: string;
}

export interface GraphErrorEnvelope {
  error: GraphErrorBody;
}

/** `GET /oauth/access_token`: `expires_in` is absent for tokens that never expire. */
export interface AccessTokenResult {
  access_token: string;
  token_type?: string;
  expires_in?: number;
}

export interface GranularScope {
  scope: string;
  /** Absent when the permission applies to everything. Newest WABA first. */
  target_ids?: string[];
}

/** `GET /debug_token` → `data`. */
export interface DebugTokenData {
  app_id?: string;
  type?: string;
  application?: string;
  /** Unix seconds; 0 means the token does not expire. */
  expires_at?: number;
  data_access_expires_at?: number;
  issued_at?: number;
  is_valid: boolean;
  scopes: string[];
  granular_scopes?: GranularScope[];
  user_id?: string;
  error?: { code: number; message: string; subcode?: number };
}

export interface MeResult {
  id: string;
  name?: string;
  client_business_id?: string;
}

export interface BusinessSummary {
  id: string;
  name: string;
}

/** Item of `owned_whatsapp_business_accounts` / `client_whatsapp_business_accounts`. */
export interface WabaSummary {
  id: string;
  name: string;
  currency?: string;
  timezone_id?: string;
  message_template_namespace?: string;
}

export type QualityRating = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
export type CodeVerificationStatus = 'VERIFIED' | 'NOT_VERIFIED' | 'EXPIRED';
export type NameStatus = 'APPROVED' | 'AVAILABLE_WITHOUT_REVIEW' | 'PENDING_REVIEW' | 'DECLINED' | 'EXPIRED' | 'NONE';
export type PhoneNumberStatus = 'CONNECTED' | 'PENDING' | 'FLAGGED' | 'RESTRICTED' | 'BANNED' | 'DISCONNECTED' | 'DELETED';
export type PlatformType = 'CLOUD_API' | 'ON_PREMISE' | 'NOT_APPLICABLE';
export type ThroughputLevel = 'STANDARD' | 'HIGH' | 'NOT_APPLICABLE';
export type MessagingLimitTier = 'TIER_50' | 'TIER_250' | 'TIER_1K' | 'TIER_2K' | 'TIER_10K' | 'TIER_100K' | 'TIER_UNLIMITED' | 'TIER_NOT_SET';
export type AccountReviewStatus = 'PENDING' | 'APPROVED' | 'REJECTED';

export interface WebhookConfiguration {
  application?: string;
  whatsapp_business_account?: string;
  phone_number?: string;
}

/** A phone number node; which fields are present depends on the `fields` requested. */
export interface PhoneNumber {
  id: string;
  display_phone_number?: string;
  verified_name?: string;
  quality_rating?: QualityRating;
  code_verification_status?: CodeVerificationStatus;
  name_status?: NameStatus;
  new_name_status?: NameStatus;
  /** The name asked for in a display-name change that is not applied yet. */
  new_display_name?: string;
  status?: PhoneNumberStatus;
  platform_type?: PlatformType;
  throughput?: { level: ThroughputLevel };
  account_mode?: 'LIVE' | 'SANDBOX';
  is_official_business_account?: boolean;
  is_on_biz_app?: boolean;
  /** When the number was last onboarded (for coexistence, the start of the 24-hour sync window), e.g. 2026-12-01T10:00:00+0000. */
  last_onboarded_time?: string;
  webhook_configuration?: WebhookConfiguration;
  whatsapp_business_manager_messaging_limit?: MessagingLimitTier;
}

/** A WABA node; `phone_numbers` is present when requested by field expansion. */
export interface Waba extends WabaSummary {
  account_review_status?: AccountReviewStatus;
  owner_business_info?: BusinessSummary;
  phone_numbers?: GraphList<PhoneNumber>;
}

export interface SubscribedApp {
  whatsapp_business_api_data: { id: string; link?: string; name: string };
  override_callback_uri?: string;
}

/** Callback override for `POST /{waba}/subscribed_apps` (docs/meta.md §4.1). */
export interface CallbackOverride {
  callbackUri: string;
  verifyToken: string;
}

/** `sync_type` of `POST /{phone}/smb_app_data`: the app's contacts, or its chat history. */
export type SmbSyncType = 'smb_app_state_sync' | 'history';

/** `POST /{phone}/smb_app_data`: the webhooks follow; `request_id` names the request. */
export interface SmbAppDataResult {
  messaging_product: 'whatsapp';
  request_id: string;
}
