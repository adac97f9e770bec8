import { IsIn, IsOptional, Matches } from 'class-validator';
import { OptionalText } from '../common/validation';
import { SIGNUP_SCREEN_NAME } from './onboarding-words';

/** How an onboarding attempt began: the popup, the full-page redirect, a pasted token, a signup link's holder. */
export type OnboardingAttemptFlow = 'embedded_signup' | 'oauth' | 'import' | 'signup_link';
export const ONBOARDING_ATTEMPT_FLOWS: OnboardingAttemptFlow[] = ['embedded_signup', 'oauth', 'import', 'signup_link'];

/** The funnel's steps, in order; an attempt's `reachedStep` is the last one it got to. */
export type OnboardingAttemptStep = 'started' | 'consent_finished' | 'numbers_offered' | 'numbers_picked' | 'connected';
export const ONBOARDING_ATTEMPT_STEPS: OnboardingAttemptStep[] = ['started', 'consent_finished', 'numbers_offered', 'numbers_picked', 'connected'];

export type OnboardingAttemptStatus = 'in_progress' | 'completed' | 'partial' | 'cancelled' | 'failed';

/** `failed` errors come from Meta (its error code, e.g. from the signup popup) or from our checks (our code). */
export type OnboardingAttemptErrorSource = 'meta' | 'ours';

export interface OnboardingAttemptErrorView {
  source: OnboardingAttemptErrorSource;
  /** In words, for the tenant. */
  message: string;
  /** Meta's `error_code`, or our API error code: for support. */
  code: string | null;
  /** Meta's signup `session_id`, to quote to Meta support. */
  sessionId: string | null;
}

export interface OnboardingAttemptFailureView {
  phoneNumberId: string;
  displayPhone: string;
  reason: string;
}

/** One attempt to connect WhatsApp, as the tenant's admins see it. */
export interface OnboardingAttemptView {
  id: string;
  flow: OnboardingAttemptFlow;
  status: OnboardingAttemptStatus;
  reachedStep: OnboardingAttemptStep;
  startedAt: string;
  updatedAt: string;
  startedByName: string | null;
  /** Meta's screen name when the person left the popup (e.g. PHONE_NUMBER_SETUP)… */
  cancelledAtStep: string | null;
  /** …and the same in words. */
  cancelledAtStepLabel: string | null;
  error: OnboardingAttemptErrorView | null;
  numbersOffered: number | null;
  numbersPicked: number | null;
  numbersConnected: number | null;
  failures: OnboardingAttemptFailureView[];
  /** The picker this attempt opened, while it can still be resumed. */
  onboardingSessionId: string | null;
}

/** `POST /api/integrations/whatsapp/onboarding-attempts`: the SPA starts one as Meta's popup opens. */
export class StartOnboardingAttemptRequest {
  @IsIn(['embedded_signup'], { message: 'flow must be embedded_signup (the other flows are recorded by the API itself)' })
  flow!: 'embedded_signup';
}

/** `POST …/onboarding-attempts/:id/ended`: what Meta's popup said when it ended without a code. */
export class EndOnboardingAttemptRequest {
  @IsIn(['cancelled', 'error'], { message: 'outcome must be cancelled or error' })
  outcome!: 'cancelled' | 'error';

  /** Meta's `current_step` screen name. */
  @IsOptional()
  @Matches(SIGNUP_SCREEN_NAME, { message: 'currentStep must be a screen name such as PHONE_NUMBER_SETUP' })
  currentStep?: string;

  @OptionalText(32)
  errorCode?: string;

  @OptionalText(500)
  errorMessage?: string;

  @OptionalText(128)
  sessionId?: string;
}

export interface OnboardingAttemptStartedView {
  id: string;
}

export interface OnboardingFunnelStepView {
  step: OnboardingAttemptStep;
  label: string;
  /** Attempts that got at least this far. */
  attempts: number;
}

export interface OnboardingFunnelCountView {
  /** A Meta screen name, an error code, or a flow. */
  key: string;
  label: string;
  count: number;
}

/** Operators: the onboarding funnel across every workspace, over a period. */
export interface OnboardingFunnelView {
  from: string;
  to: string;
  attempts: number;
  workspaces: number;
  steps: OnboardingFunnelStepView[];
  outcomes: Record<OnboardingAttemptStatus, number>;
  byFlow: OnboardingFunnelCountView[];
  cancelledAt: OnboardingFunnelCountView[];
  errors: OnboardingFunnelCountView[];
}
