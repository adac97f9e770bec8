// The `WA_EMBEDDED_SIGNUP` session-info message the signup popup posts to its opener
// (docs/meta.md §1.3). The opener receives it as a JSON string in `event.data`.

export const EMBEDDED_SIGNUP_MESSAGE_TYPE = 'WA_EMBEDDED_SIGNUP';

/** The `event` values of a successful finish, one per kind of onboarding. */
export const EMBEDDED_SIGNUP_FINISH_EVENTS = ['FINISH', 'FINISH_ONLY_WABA', 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING', 'FINISH_OBO_MIGRATION', 'FINISH_GRANT_ONLY_API_ACCESS'] as const;
export type EmbeddedSignupSuccessEvent = (typeof EMBEDDED_SIGNUP_FINISH_EVENTS)[number];
export type EmbeddedSignupFinishEvent = EmbeddedSignupSuccessEvent | 'ERROR';

export interface EmbeddedSignupFinishData {
  waba_id: string;
  phone_number_id?: string;
  business_id?: string;
  waba_ids?: string[];
  ad_account_ids?: string[];
  page_ids?: string[];
  dataset_ids?: string[];
  catalog_ids?: string[];
  instagram_account_ids?: string[];
}

export interface EmbeddedSignupFinishMessage {
  type: typeof EMBEDDED_SIGNUP_MESSAGE_TYPE;
  event: EmbeddedSignupFinishEvent;
  data: EmbeddedSignupFinishData;
  version?: number;
}

/** The person left the flow at `current_step`. */
export interface EmbeddedSignupAbandonMessage {
  type: typeof EMBEDDED_SIGNUP_MESSAGE_TYPE;
  event: 'CANCEL';
  data: { current_step: string };
  version?: number;
}

/** The flow ended with an error shown to the person; also sent as `CANCEL`. */
export interface EmbeddedSignupErrorMessage {
  type: typeof EMBEDDED_SIGNUP_MESSAGE_TYPE;
  event: 'CANCEL';
  data: { error_message: string; error_code: string; session_id: string; timestamp: number };
  version?: number;
}

export type EmbeddedSignupMessage = EmbeddedSignupFinishMessage | EmbeddedSignupAbandonMessage | EmbeddedSignupErrorMessage;

/**
 * Flow variants of `extras.featureType` (docs/meta.md §1.2): the default Cloud API flow, or a
 * number already on the WhatsApp Business app (coexistence).
 */
export type EmbeddedSignupFeatureType = '' | 'whatsapp_business_app_onboarding';

/** What `FB.login` receives as `extras`. */
export interface EmbeddedSignupExtras {
  setup: Record<string, unknown>;
  featureType?: Exclude<EmbeddedSignupFeatureType, ''>;
}

/**
 * `extras` for Embedded Signup v4. The v4 flow comes from the Login for Business configuration
 * (products chosen in it), not from `extras`; `version` and `sessionInfoVersion` name the v2/v3
 * flows retired on 2026-10-15 and are never sent, and v4 posts the session-info message for every
 * flow without being asked.
 */
export function embeddedSignupExtras(featureType: EmbeddedSignupFeatureType = ''): EmbeddedSignupExtras {
  return featureType ? { setup: {}, featureType } : { setup: {} };
}
