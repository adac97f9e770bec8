// What the sandbox's Meta knows: businesses, their WABAs and numbers, tokens and codes.
import type { HealthOverride } from './health-override';
import { AccountReviewStatus, CodeVerificationStatus, MessagingLimitTier, NameStatus, PhoneNumberStatus, PlatformType, QualityRating, SmbSyncType, ThroughputLevel } from '@waba/meta-graph';

export interface BusinessRecord {
  id: string;
  name: string;
  /** Set for businesses Meta refuses in the signup flow (docs/meta.md §11). */
  onboardingBlockedReason?: string;
  /** Set by the control API: the business's `health_status` entity (docs/meta.md §13). */
  health?: HealthOverride;
}

export interface AppSubscription {
  appId: string;
  appName: string;
  overrideCallbackUri?: string;
  overrideVerifyToken?: string;
}

export interface WabaRecord {
  id: string;
  name: string;
  ownerBusinessId: string;
  currency: string;
  timezoneId: string;
  messageTemplateNamespace: string;
  accountReviewStatus: AccountReviewStatus;
  createdAtMs: number;
  /** Partner businesses the WABA was shared with (`client_whatsapp_business_accounts`). */
  sharedWithBusinessIds: string[];
  subscriptions: AppSubscription[];
  /** Times of calls counted against the hourly Business Use Case limit. */
  managementCallsMs: number[];
  /** Set by the control API: the WABA's `health_status` entity (docs/meta.md §13). */
  health?: HealthOverride;
  /** The WABA's message templates (`/{waba-id}/message_templates`); absent in worlds saved before templates. */
  messageTemplates?: MessageTemplateRecord[];
}

/** One message template as Meta keeps it; Graph and webhooks use Meta's names for these values. */
export interface MessageTemplateRecord {
  id: string;
  name: string;
  language: string;
  category: string;
  status: string;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  components: Array<{ type: string; format?: string; text?: string; buttons?: Array<{ type: string; text?: string; url?: string; phone_number?: string }> }>;
  qualityScore: string;
  /** Unix seconds of the last quality change. */
  qualityDate: number;
  /** NONE unless the template was rejected. */
  rejectedReason: string;
  previousCategory?: string;
}

export interface PhoneNumberRecord {
  id: string;
  wabaId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  qualityRating: QualityRating;
  codeVerificationStatus: CodeVerificationStatus;
  nameStatus: NameStatus;
  status: PhoneNumberStatus;
  platformType: PlatformType;
  throughputLevel: ThroughputLevel;
  messagingLimit: MessagingLimitTier;
  accountMode: 'LIVE' | 'SANDBOX';
  /** Coexistence: also on the WhatsApp Business app; cannot be deregistered. */
  isOnBizApp: boolean;
  /** Coexistence: when a signup onboarded the app number to Cloud API (opens the 24-hour sync window). */
  onboardedAtMs?: number;
  /** Coexistence: the business chose not to share its chat history in the flow. */
  historySharingDeclined?: boolean;
  /** Coexistence: the `smb_app_data` requests Meta accepted, at most one per sync type. */
  smbSyncRequests?: Partial<Record<SmbSyncType, { requestId: string; atMs: number }>>;
  twoStepPin?: string;
  webhookOverride?: { callbackUri: string; verifyToken: string };
  /** Times of register/deregister requests, for the 10-per-72-hours limit. */
  registrationRequestsMs: number[];
  registrationBlockedUntilMs?: number;
  /** Set by the control API: the number's `health_status` entity (docs/meta.md §13). */
  health?: HealthOverride;
  /** The business profile (`whatsapp_business_profile`), as Meta stores it; absent fields are unset. */
  businessProfile?: BusinessProfileRecord;
  /** A display-name change in review or approved and waiting for a re-registration. */
  nameChange?: { name: string; status: 'PENDING_REVIEW' | 'APPROVED' | 'DECLINED' | 'EXPIRED'; requestedAtMs: number; decidedAtMs?: number; rejectionReason?: string };
  /** Times of display-name change requests, for the per-30-days limit. */
  nameChangeRequestsMs?: number[];
}

export interface BusinessProfileRecord {
  about?: string;
  address?: string;
  description?: string;
  email?: string;
  websites?: string[];
  vertical?: string;
  /** The handle of the uploaded photo; `profile_picture_url` is derived from it. */
  pictureHandle?: string;
}

/** What a person granted in one consent. */
export interface Grant {
  businessId: string;
  /** Newest WABA first, as `granular_scopes` lists them. */
  wabaIds: string[];
  phoneNumberIds: string[];
  scopes: string[];
}

export interface AccessTokenRecord {
  value: string;
  /** The Meta app the token was issued to; absent = the sandbox's own app (our app). */
  appId?: string;
  type: 'USER' | 'SYSTEM_USER';
  userId: string;
  userName: string;
  /** The customer's portfolio for business (BISU) tokens, answered by `/me?fields=client_business_id`. */
  clientBusinessId?: string;
  businessIds: string[];
  /** `granted`: only `wabaIds`; `business`: every WABA owned by or shared with `businessIds`. */
  assetScope: 'granted' | 'business';
  wabaIds: string[];
  scopes: string[];
  issuedAtMs: number;
  expiresAtMs: number | null;
  dataAccessExpiresAtMs: number;
  invalidatedSubcode?: number;
}

export type CodeFlow = 'sdk' | 'redirect';

export interface AuthorizationCodeRecord {
  value: string;
  flow: CodeFlow;
  /** Required, and must match, when exchanging a redirect-flow code. */
  redirectUri?: string;
  expiresAtMs: number;
  used: boolean;
  grant: Grant;
}
