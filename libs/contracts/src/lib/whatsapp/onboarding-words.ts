// Words for the onboarding funnel, shared by the API and the SPA (no validation code: the SPA
// imports this file through its side entry, @waba/contracts/onboarding-words).
import type { OnboardingAttemptFlow, OnboardingAttemptStep } from './onboarding-attempts.dto';

export const ONBOARDING_STEP_LABELS: Record<OnboardingAttemptStep, string> = {
  started: 'Started',
  consent_finished: "Finished Meta's consent",
  numbers_offered: 'Saw numbers to pick',
  numbers_picked: 'Picked numbers',
  connected: 'Connected a number',
};

export const ONBOARDING_FLOW_LABELS: Record<OnboardingAttemptFlow, string> = {
  embedded_signup: "Meta's popup (Embedded Signup)",
  oauth: 'Full-page Meta login',
  import: 'Import with an access token',
  signup_link: "A signup link's holder, in Meta's popup",
};

/** What Meta's `current_step` screen names look like; the only form of them we record. */
export const SIGNUP_SCREEN_NAME = /^[A-Z0-9_]{1,64}$/;

/** Embedded Signup's screens where people leave most (Meta's `current_step` names), in words. */
const SIGNUP_SCREENS: Record<string, string> = {
  BUSINESS_ACCOUNT_SELECTION: 'choosing the business portfolio',
  WABA_SELECTION: 'choosing the WhatsApp Business Account',
  PHONE_NUMBER_SETUP: 'adding a phone number',
  PHONE_NUMBER_VERIFICATION: 'verifying the phone number',
  WHATSAPP_BUSINESS_PROFILE_SETUP: 'setting up the business profile',
  PERMISSIONS: 'reviewing the permissions',
};

/** "PHONE_NUMBER_SETUP" → "adding a phone number"; an unknown screen → its name in lower case. */
export function signupScreenLabel(step: string): string {
  return SIGNUP_SCREENS[step] ?? step.toLowerCase().replace(/_/g, ' ');
}
