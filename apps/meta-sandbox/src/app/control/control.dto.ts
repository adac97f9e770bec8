// Request bodies of the control API (`/_sandbox/...`), validated by class-validator.
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { GRAPH_ENDPOINTS } from '../graph/graph-faults.service';
import { INBOUND_MESSAGE_TYPES, InboundMessageType } from '../webhooks/webhook-events.service';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

export class CreateBusinessDto {
  @IsString() name!: string;
  /** Makes the signup flow refuse this business with the given text. */
  @IsOptional() @IsString() onboardingBlockedReason?: string;
}

export class CreateWabaDto {
  @IsString() businessId!: string;
  @IsString() name!: string;
  @IsOptional() @IsString() currency?: string;
  @IsOptional() @IsIn(['PENDING', 'APPROVED', 'REJECTED']) accountReviewStatus?: 'PENDING' | 'APPROVED' | 'REJECTED';
}

export class PhoneNumberChangesDto {
  @IsOptional() @IsString() verifiedName?: string;
  @IsOptional() @IsIn(['GREEN', 'YELLOW', 'RED', 'UNKNOWN']) qualityRating?: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
  @IsOptional() @IsIn(['VERIFIED', 'NOT_VERIFIED', 'EXPIRED']) codeVerificationStatus?: 'VERIFIED' | 'NOT_VERIFIED' | 'EXPIRED';
  @IsOptional()
  @IsIn(['APPROVED', 'AVAILABLE_WITHOUT_REVIEW', 'PENDING_REVIEW', 'DECLINED', 'EXPIRED', 'NONE'])
  nameStatus?: 'APPROVED' | 'AVAILABLE_WITHOUT_REVIEW' | 'PENDING_REVIEW' | 'DECLINED' | 'EXPIRED' | 'NONE';
  @IsOptional()
  @IsIn(['CONNECTED', 'PENDING', 'FLAGGED', 'RESTRICTED', 'BANNED', 'DISCONNECTED', 'DELETED'])
  status?: 'CONNECTED' | 'PENDING' | 'FLAGGED' | 'RESTRICTED' | 'BANNED' | 'DISCONNECTED' | 'DELETED';
  /** false: not yet on Cloud API (`platform_type` and `throughput.level` NOT_APPLICABLE). */
  @IsOptional() @IsBoolean() registered?: boolean;
  @IsOptional()
  @IsIn(['TIER_50', 'TIER_250', 'TIER_1K', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED', 'TIER_NOT_SET'])
  messagingLimit?: 'TIER_50' | 'TIER_250' | 'TIER_1K' | 'TIER_2K' | 'TIER_10K' | 'TIER_100K' | 'TIER_UNLIMITED' | 'TIER_NOT_SET';
  @IsOptional() @IsBoolean() isOnBizApp?: boolean;
  /** Coexistence: the business declines to share its chat history (the `history` webhook says so). */
  @IsOptional() @IsBoolean() historySharingDeclined?: boolean;
  @IsOptional() @Matches(/^\d{6}$/) twoStepPin?: string;
}

/** `verifiedName` is required here (checked by the service; class-validator cannot narrow an inherited field). */
export class CreatePhoneNumberDto extends PhoneNumberChangesDto {
  @IsString() wabaId!: string;
  @IsString() displayPhoneNumber!: string;
}

export class CreateTokenDto {
  @IsString() businessId!: string;
  /** Limit the token to these WABAs; absent = every WABA the business owns or was shared. */
  @IsOptional() @IsArray() @IsString({ each: true }) wabaIds?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) scopes?: string[];
  /** null or absent = never expires. */
  @IsOptional() @IsInt() @Min(1) expiresInSeconds?: number | null;
  @IsOptional() @IsIn(['USER', 'SYSTEM_USER']) type?: 'USER' | 'SYSTEM_USER';
  /** A token issued to another Meta app (ours by default): a token a tenant copied from elsewhere. */
  @IsOptional() @IsString() appId?: string;
}

/** Many tokens at once (benchmarks, multi-instance tests): the same fields, `count` times. */
export class CreateTokensDto extends CreateTokenDto {
  @IsInt() @Min(1) @Max(50_000) count!: number;
}

export class TokenGrantDto {
  @IsString() token!: string;
  /** The WABAs the token reaches from now on (a WABA left out was removed from the grant). */
  @IsArray() @IsString({ each: true }) wabaIds!: string[];
}

export class TokenActionDto {
  @IsString() token!: string;
  /** For revoke: the 190 subcode to answer (458 app removed, 460 password changed, 467 invalid...). */
  @IsOptional() @IsInt() subcode?: number;
}

/** Revoking a token the console names by fingerprint. */
export class RevokeTokenDto {
  /** The 190 subcode Graph answers from now on; default 458 (the business removed the app). */
  @IsOptional() @IsInt() subcode?: number;
}

export class FaultErrorDto {
  /** Absent: answer an HTML gateway page with `httpStatus` and no Graph envelope. */
  @IsOptional() @IsInt() code?: number;
  @IsOptional() @IsInt() subcode?: number;
  @IsOptional() @IsString() message?: string;
  /** Default 400 (Meta's status for most errors, rate limits included); 500 for codes 1 and 2. */
  @IsOptional() @IsInt() @Min(400) @Max(599) httpStatus?: number;
  @IsOptional() @IsInt() @Min(0) regainAccessMinutes?: number;
}

export class CreateFaultDto {
  @IsIn(['*', ...GRAPH_ENDPOINTS]) endpoint!: (typeof GRAPH_ENDPOINTS)[number] | '*';
  @IsOptional() @IsInt() @Min(1) count?: number;
  @IsOptional() @IsInt() @Min(0) @Max(60_000) latencyMs?: number;
  @IsOptional() @ValidateNested() @Type(() => FaultErrorDto) error?: FaultErrorDto;
}

export class AdvanceClockDto {
  @IsInt() @Min(0) seconds!: number;
}

export class WebhookRetryDto {
  @IsInt() @Min(0) baseDelayMs!: number;
  @IsInt() @Min(1) @Max(50) maxAttempts!: number;
  @IsInt() @Min(100) timeoutMs!: number;
}

export class UpdateSettingsDto {
  @IsOptional()
  @IsIn(['with_waba_targets', 'without_waba_targets'])
  debugTokenShape?: 'with_waba_targets' | 'without_waba_targets';
  /** null = business tokens never expire. */
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsInt() @Min(1) businessTokenExpiresInSeconds?: number | null;
  @IsOptional() @IsBoolean() requireAppSecretProof?: boolean;
  @IsOptional() @IsUrl(URL_OPTIONS) webhookUrl?: string;
  @IsOptional() @ValidateNested() @Type(() => WebhookRetryDto) webhookRetry?: WebhookRetryDto;
  @IsOptional() @IsBoolean() webhookEscapeUnicode?: boolean;
}

export class WebhookEventDto {
  @IsIn(['message', 'status', 'account_update', 'phone_number_quality_update', 'phone_number_name_update', 'smb_message_echo'])
  type!: 'message' | 'status' | 'account_update' | 'phone_number_quality_update' | 'phone_number_name_update' | 'smb_message_echo';
  @IsOptional() @IsString() phoneNumberId?: string;
  @IsOptional() @IsString() wabaId?: string;
  @IsOptional() @IsString() from?: string;
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() text?: string;
  @IsOptional() @IsIn(INBOUND_MESSAGE_TYPES) messageType?: InboundMessageType;
  @IsOptional() @IsString() emoji?: string;
  @IsOptional() @IsString() messageId?: string;
  @IsOptional()
  @IsIn(['sent', 'delivered', 'read', 'failed', 'played'])
  status?: 'sent' | 'delivered' | 'read' | 'failed' | 'played';
  @IsOptional() @IsString() recipientId?: string;
  @IsOptional() @IsInt() errorCode?: number;
  @IsOptional() @IsString() event?: string;
  @IsOptional() @IsString() currentLimit?: string;
  @IsOptional() @IsString() oldLimit?: string;
  @IsOptional()
  @IsIn(['APPROVED', 'REJECTED', 'DECLINED', 'DEFERRED', 'PENDING'])
  decision?: 'APPROVED' | 'REJECTED' | 'DECLINED' | 'DEFERRED' | 'PENDING';
  @IsOptional() @IsString() requestedVerifiedName?: string;
}

export class SendWebhooksDto {
  @IsArray() @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => WebhookEventDto) events!: WebhookEventDto[];
  /** One POST for all events going to the same URL, instead of one POST each. */
  @IsOptional() @IsBoolean() batch?: boolean;
  /** Send here instead of routing by overrides and the app's callback. */
  @IsOptional() @IsUrl(URL_OPTIONS) callbackUrl?: string;
}

export class VerifyCallbackDto {
  @IsOptional() @IsUrl(URL_OPTIONS) callbackUrl?: string;
  @IsOptional() @IsString() verifyToken?: string;
}
