import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { OptionalText } from '../common/validation';
import { EmbeddedSignupSessionInfo, type EmbeddedSignupConfigView, type OnboardingSessionView } from '../whatsapp/whatsapp.dto';

/** How long a signup link works, chosen by the admin from this short list. */
export type SignupLinkExpiry = '1h' | '24h' | '72h' | '7d';
export const SIGNUP_LINK_EXPIRY_HOURS: Record<SignupLinkExpiry, number> = { '1h': 1, '24h': 24, '72h': 72, '7d': 168 };
const EXPIRIES = Object.keys(SIGNUP_LINK_EXPIRY_HOURS);

/**
 * Where a link stands, newest fact first: `finished` means the holder gave Meta's consent and the
 * numbers wait to be picked; `connected` that picked numbers were connected.
 */
export type SignupLinkState = 'created' | 'opened' | 'consent_started' | 'cancelled' | 'failed' | 'finished' | 'connected' | 'expired' | 'revoked';
/** One step in a link's history, as the admin watches it. */
export type SignupLinkStep = 'created' | 'opened' | 'consent_started' | 'cancelled' | 'failed' | 'finished' | 'connected' | 'revoked';
/** What the holder's page reports while Meta's window runs. */
export type SignupLinkReportedStep = 'consent_started' | 'cancelled' | 'failed';
const REPORTED_STEPS: SignupLinkReportedStep[] = ['consent_started', 'cancelled', 'failed'];

const TOKEN_MESSAGE = 'token must be the part of the signup link after #';
const META_ID = /^\d{1,32}$/;

/** `POST /api/signup-links`: a new link (shown once). */
export class CreateSignupLinkRequest {
  @IsIn(EXPIRIES, { message: `expiresIn must be one of ${EXPIRIES.join(', ')}` })
  expiresIn!: SignupLinkExpiry;

  /** Whether the link's holder picks the numbers after consent (else the admin does). */
  @IsBoolean({ message: 'holderPicks must be true or false' })
  holderPicks!: boolean;

  /** Who the link is for, so the admin recognises it in the list ("Maria, Acme's owner"). */
  @OptionalText(100)
  note?: string;
}

/** The token from the link (after `#`): every public call carries it in the body, never in a URL. */
export class SignupLinkTokenRequest {
  @IsString({ message: TOKEN_MESSAGE })
  @MinLength(20, { message: TOKEN_MESSAGE })
  @MaxLength(100, { message: TOKEN_MESSAGE })
  token!: string;
}

/** The holder's page says what happened in Meta's window: started, cancelled at a step, or failed. */
export class SignupLinkProgressRequest extends SignupLinkTokenRequest {
  @IsIn(REPORTED_STEPS, { message: `step must be one of ${REPORTED_STEPS.join(', ')}` })
  step!: SignupLinkReportedStep;

  /** Meta's `CANCEL` message's `current_step`. */
  @OptionalText(100)
  currentStep?: string;

  /** Meta's `error_message`, `error_code` and `session_id` from an error message. */
  @OptionalText(500)
  errorMessage?: string;

  @OptionalText(50)
  errorCode?: string;

  @OptionalText(100)
  metaSessionId?: string;
}

/** The Embedded Signup code from the holder's browser, sent at once (it lives 30 s). */
export class SignupLinkFinishRequest extends SignupLinkTokenRequest {
  @IsString()
  @IsNotEmpty({ message: 'code must not be empty' })
  @MaxLength(2048)
  code!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => EmbeddedSignupSessionInfo)
  sessionInfo?: EmbeddedSignupSessionInfo;
}

/** The holder's pick, when the admin let them pick. */
export class SignupLinkConfirmRequest extends SignupLinkTokenRequest {
  @IsArray()
  @ArrayMinSize(1, { message: 'phoneNumberIds must list at least one number' })
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'phoneNumberIds must not repeat a number' })
  @Matches(META_ID, { each: true, message: 'each of phoneNumberIds must be a numeric Meta id' })
  phoneNumberIds!: string[];
}

export interface SignupLinkProgressView {
  step: SignupLinkStep;
  at: string;
  /** In words: where Meta's window was cancelled, Meta's error, what was shared. */
  detail: string | null;
}

export interface SignupLinkErrorView {
  message: string;
  /** Meta's `error_code` and `session_id`, for support. */
  code: string | null;
  metaSessionId: string | null;
}

/** A link as its tenant's admins see it; never carries the token. */
export interface SignupLinkView {
  id: string;
  state: SignupLinkState;
  /** Short words for a badge ("Waiting for you to pick numbers"). */
  stateLabel: string;
  /** One sentence on what happened and what to do next. */
  explanation: string;
  note: string | null;
  holderPicks: boolean;
  createdByName: string;
  createdAt: string;
  expiresAt: string;
  openedAt: string | null;
  usedAt: string | null;
  revokedAt: string | null;
  /** Meta's `current_step` of the last cancel, in words. */
  cancelledAtStep: string | null;
  lastError: SignupLinkErrorView | null;
  /** The onboarding session the consent opened: the picker reads it. */
  onboardingSessionId: string | null;
  progress: SignupLinkProgressView[];
}

/** The answer to creating a link: the only time its URL (with the token) is shown. */
export interface CreatedSignupLinkView extends SignupLinkView {
  link: string;
}

/** What the holder's public page shows. */
export interface SignupLinkPublicView {
  accountName: string;
  invitedByName: string;
  expiresAt: string;
  state: SignupLinkState;
  /** One sentence for the holder: what to do now, or what happened. */
  message: string;
  /** What connecting will share with the business, in words. */
  shares: string[];
  holderPicks: boolean;
  /** What the page needs to run Embedded Signup; null once the consent was given. */
  embeddedSignup: EmbeddedSignupConfigView | null;
  /** The numbers to pick, when the holder picks them and the consent was given. */
  session: OnboardingSessionView | null;
}
