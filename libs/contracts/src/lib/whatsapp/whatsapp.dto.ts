import { EMBEDDED_SIGNUP_FINISH_EVENTS, type EmbeddedSignupSuccessEvent } from '@waba/meta-graph/embedded-signup';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { OptionalText } from '../common/validation';

const META_ID = /^\d{1,32}$/;
const META_ID_MESSAGE = (field: string) => `${field} must be a numeric Meta id`;

/** Which credential a manual add keeps when the WABA already has a working one. */
export type CredentialChoice = 'keep-existing' | 'use-new';
export const CREDENTIAL_CHOICES: CredentialChoice[] = ['keep-existing', 'use-new'];

/** How a credential or number reached us. */
export type ConnectionSource = 'embedded_signup' | 'oauth' | 'manual';
/** Health of one Meta credential. */
export type ConnectionStatus = 'active' | 'expiring' | 'needs_reauth' | 'revoked';
/** Our side of a number's lifecycle; only `connected` numbers are usable. */
export type PhoneNumberState = 'pending' | 'connected' | 'failed' | 'disconnected';
export type RegistrationState = 'registered' | 'not_needed' | 'pending' | 'failed';
/** Whether the tenant may pick a number in the onboarding picker. */
export type NumberAvailability = 'available' | 'connected_here' | 'taken';
/** Which kind of Embedded Signup finished (Meta's finish events: libs/meta-graph embedded-signup.ts). */
export type EmbeddedSignupEvent = EmbeddedSignupSuccessEvent;

/** What the Embedded Signup `WA_EMBEDDED_SIGNUP` message reported; hints only, never trusted alone. */
export class EmbeddedSignupSessionInfo {
  @IsIn(EMBEDDED_SIGNUP_FINISH_EVENTS, {
    message: 'sessionInfo.event must be a finish event of Embedded Signup',
  })
  event!: EmbeddedSignupEvent;

  @IsOptional()
  @Matches(META_ID, { message: META_ID_MESSAGE('sessionInfo.wabaId') })
  wabaId?: string;

  @IsOptional()
  @Matches(META_ID, { message: META_ID_MESSAGE('sessionInfo.phoneNumberId') })
  phoneNumberId?: string;

  @IsOptional()
  @Matches(META_ID, { message: META_ID_MESSAGE('sessionInfo.businessId') })
  businessId?: string;
}

/** `POST /api/integrations/whatsapp/embedded-signup`: the SDK's code, sent at once (it lives 30 s). */
export class EmbeddedSignupRequest {
  @IsString()
  @IsNotEmpty({ message: 'code must not be empty' })
  @MaxLength(2048)
  code!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => EmbeddedSignupSessionInfo)
  sessionInfo?: EmbeddedSignupSessionInfo;

  /** The number whose Reconnect started this consent: the picker starts with it ticked. */
  @IsOptional()
  @Matches(META_ID, { message: META_ID_MESSAGE('reconnectPhoneNumberId') })
  reconnectPhoneNumberId?: string;

  /** The onboarding attempt the SPA started as the popup opened (the funnel's record). */
  @IsOptional()
  @Matches(/^[a-f0-9]{24}$/, { message: 'attemptId must be the id the onboarding-attempts call returned' })
  attemptId?: string;
}

/** `POST /api/integrations/whatsapp/oauth` (an original endpoint, kept as it was): the redirect flow's callback values. */
export class OAuthCallbackRequest {
  @IsString()
  @IsNotEmpty({ message: 'code must not be empty' })
  @MaxLength(2048)
  code!: string;

  @IsString()
  @IsNotEmpty({ message: 'state must not be empty' })
  @MaxLength(256)
  state!: string;
}

/**
 * `POST /api/integrations/whatsapp/oauth/ended`: Meta's page sent the browser back to the callback
 * without a code (the person cancelled, or Meta refused), with the state it was given.
 */
export class OAuthEndedRequest {
  @IsString()
  @IsNotEmpty({ message: 'state must not be empty' })
  @MaxLength(256)
  state!: string;

  /** Meta's `error` parameter, such as `access_denied`. */
  @IsString()
  @IsNotEmpty({ message: 'error must not be empty' })
  @MaxLength(64, { message: 'error must be at most 64 characters' })
  error!: string;

  /** Meta's `error_reason`: `user_denied` when the person cancelled. */
  @OptionalText(64)
  errorReason?: string;

  @OptionalText(32)
  errorCode?: string;

  @OptionalText(500)
  errorDescription?: string;
}

/** The tenant's pick in the onboarding picker. */
export class ConfirmSelectionRequest {
  @IsArray()
  @ArrayMinSize(1, { message: 'phoneNumberIds must list at least one number' })
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'phoneNumberIds must not repeat a number' })
  @Matches(META_ID, { each: true, message: 'each of phoneNumberIds must be a numeric Meta id' })
  phoneNumberIds!: string[];
}

/** The original manual add, `POST /api/settings/phone-numbers`; verified with Meta before saving. */
export class ManualPhoneNumberRequest {
  @Matches(META_ID, { message: META_ID_MESSAGE('phoneNumberId') })
  phoneNumberId!: string;

  @Matches(META_ID, { message: META_ID_MESSAGE('wabaId') })
  wabaId!: string;

  @IsString()
  @IsNotEmpty({ message: 'accessToken must not be empty' })
  @MaxLength(4096)
  accessToken!: string;

  @OptionalText(40)
  displayPhone?: string;

  /**
   * When the WABA already works with a credential from Embedded Signup or OAuth: keep it (the
   * pasted token is checked with Meta, then not stored) or store the pasted token in its place.
   * Without a choice the API answers 409 naming the credential it would replace.
   */
  @IsOptional()
  @IsIn(CREDENTIAL_CHOICES, { message: `credentialChoice must be one of ${CREDENTIAL_CHOICES.join(', ')}` })
  credentialChoice?: CredentialChoice;
}

/** `POST /api/phone-numbers/:id/active`: a flagged or restricted number needs `acceptWarning`. */
/** `POST /api/phone-numbers/:id/retry`: resume a number whose connect stopped. */
export class RetryNumberRequest {
  /** Register it too: spends one of Meta's registration attempts (10 per 72 hours). */
  @IsOptional()
  @IsBoolean({ message: 'register must be true or false' })
  register?: boolean;
}

export class SelectActiveRequest {
  @IsOptional()
  @IsBoolean({ message: 'acceptWarning must be true or false' })
  acceptWarning?: boolean;
}

/** `POST /api/phone-numbers/:id/pin/reveal`: owners only, with their password again. */
export class RevealPinRequest {
  @IsString()
  @IsNotEmpty({ message: 'password must not be empty' })
  @MaxLength(200)
  password!: string;
}

/** "Import from Meta": discover what a pasted token can see, then pick in the same picker. */
export class ImportFromTokenRequest {
  @IsString()
  @IsNotEmpty({ message: 'accessToken must not be empty' })
  @MaxLength(4096)
  accessToken!: string;
}

/** `POST /api/integrations/whatsapp/disconnect` (an original endpoint, kept as it was): a number, or a whole WABA. */
export class DisconnectRequest {
  @IsOptional()
  @Matches(META_ID, { message: META_ID_MESSAGE('wabaId') })
  wabaId?: string;

  @IsOptional()
  @Matches(META_ID, { message: META_ID_MESSAGE('phoneNumberId') })
  phoneNumberId?: string;
}

export interface OAuthStartView {
  /** Where the browser goes next: Meta's (or the sandbox's) consent dialog. */
  dialogUrl: string;
}

/** What the SPA needs to run Embedded Signup. */
export interface EmbeddedSignupConfigView {
  appId: string;
  configId: string;
  sdkUrl: string;
  apiVersion: string;
  /** Origin whose `message` events are trusted (the SDK's). */
  messageOrigin: string;
}

export interface OnboardingNumberView {
  phoneNumberId: string;
  displayPhone: string;
  verifiedName: string | null;
  qualityRating: string | null;
  nameStatus: string | null;
  codeVerificationStatus: string | null;
  platformType: string | null;
  availability: NumberAvailability;
  /** Outcome of the last confirm for this number, when there was one. */
  outcome?: { state: PhoneNumberState; message?: string };
}

export interface OnboardingWabaView {
  wabaId: string;
  name: string | null;
  ownerBusinessName: string | null;
  numbers: OnboardingNumberView[];
}

/** How the numbers of one consent stand for this tenant, so the picker can say it in words. */
export interface OnboardingCountsView {
  /** Every number the consent shares. */
  shared: number;
  /** Not connected anywhere yet (or disconnected here): connecting them adds numbers. */
  new: number;
  /** Already connected to this workspace: picking them again moves them onto this consent. */
  connectedHere: number;
  /** Held by another WABA Connect workspace (the number or its WABA): never selectable. */
  taken: number;
}

export interface OnboardingSessionView {
  id: string;
  source: ConnectionSource;
  status: 'pending' | 'partial' | 'completed' | 'expired';
  expiresAt: string;
  wabas: OnboardingWabaView[];
  counts: OnboardingCountsView;
  /**
   * The numbers the picker starts with ticked: the one being reconnected when the consent came
   * from its Reconnect, otherwise those already connected here (renewing their credential).
   */
  preselectedPhoneNumberIds: string[];
  /** The number whose Reconnect started this consent; null otherwise. */
  reconnectPhoneNumberId: string | null;
}

export interface ConnectionView {
  id: string;
  source: ConnectionSource;
  status: ConnectionStatus;
  /** null: the token never expires. */
  expiresAt: string | null;
  lastCheckedAt: string | null;
  lastError: string | null;
}

export interface PhoneNumberView {
  phoneNumberId: string;
  wabaId: string;
  displayPhone: string;
  verifiedName: string | null;
  qualityRating: string | null;
  nameStatus: string | null;
  codeVerificationStatus: string | null;
  messagingLimit: string | null;
  platformType: string | null;
  /** Meta's own status of the number (CONNECTED, FLAGGED, RESTRICTED, BANNED ...), as last seen. */
  metaStatus: string | null;
  state: PhoneNumberState;
  registration: RegistrationState;
  isActive: boolean;
  source: ConnectionSource;
  lastError: string | null;
  lastRefreshedAt: string | null;
  connectedAt: string | null;
  /** We set the number's two-step PIN when registering it (stored encrypted; owners may reveal it). */
  pinSet: boolean;
}

/** The one answer that carries a two-step PIN: `POST /api/phone-numbers/:id/pin/reveal`. */
export interface RevealedPinView {
  phoneNumberId: string;
  pin: string;
  revealedAt: string;
}

export interface WabaView {
  wabaId: string;
  name: string | null;
  ownerBusinessName: string | null;
  subscribed: boolean;
  state: 'connected' | 'disconnected' | 'revoked';
  connection: ConnectionView | null;
  /** Meta restricted or warned the account (ACCOUNT_RESTRICTION, ACCOUNT_VIOLATION, DISABLED_UPDATE); null when not. */
  restriction: WabaRestrictionView | null;
  numbers: PhoneNumberView[];
}

export interface WabaRestrictionView {
  /** Meta's account_update event, e.g. ACCOUNT_RESTRICTION. */
  event: string;
  /** What it means for the business, in words. */
  explanation: string;
  at: string;
}

/** `GET /api/integrations/whatsapp/oauth/status` (an original endpoint, kept as it was). */
export interface WhatsAppStatusView {
  connected: boolean;
  activePhoneNumberId: string | null;
  wabas: WabaView[];
}

export interface AuditEntryView {
  id: string;
  at: string;
  actorName: string | null;
  action: string;
  target: string;
  details: string | null;
}
