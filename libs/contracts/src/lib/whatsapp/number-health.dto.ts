/**
 * "Can this number send?": one verdict per number from Meta's `health_status` and our own checks
 * (credential, subscription and callback, last webhook, registration, quality, limit, name), each
 * in words with why, what to do and the fix. The API writes every word; the SPA shows them.
 */

/** can_send: nothing stops it; limited: it sends, but something holds it back; cannot_send: messages will fail. */
export type NumberVerdict = 'can_send' | 'limited' | 'cannot_send';
export const NUMBER_VERDICTS: NumberVerdict[] = ['cannot_send', 'limited', 'can_send'];

export type HealthCheckKey =
  'meta_health' | 'credential' | 'subscription' | 'callback' | 'webhook_fields' | 'last_webhook' | 'registration' | 'number_status' | 'quality' | 'messaging_limit' | 'throughput' | 'name_status';

/**
 * pass; warn: worth knowing, the verdict stays (an expiring credential, no webhook for days);
 * limits: makes the verdict "limited"; blocks: makes it "cannot send"; unknown: Meta could not be read.
 */
export type HealthCheckOutcome = 'pass' | 'warn' | 'limits' | 'blocks' | 'unknown';

/** What a button can do about a failing check: the consent again, subscribe our app again, register with the stored PIN. */
export type HealthFix = 'reconnect' | 'resubscribe' | 're_register';

export interface HealthCheckView {
  key: HealthCheckKey;
  outcome: HealthCheckOutcome;
  /** What was checked, as a heading: "Meta's messaging health", "Webhook subscription". */
  label: string;
  /** The finding in words: "Meta blocks messaging: there is an error with the payment method." */
  summary: string;
  /** Why it matters; null when it passes. */
  why: string | null;
  /** What to do; null when nothing. */
  whatToDo: string | null;
  fix: HealthFix | null;
  /** Codes and Meta's raw values, for support only. */
  details: string | null;
}

export interface NumberHealthView {
  phoneNumberId: string;
  wabaId: string;
  displayPhone: string;
  verdict: NumberVerdict;
  /** "Can send", "Limited", "Cannot send". */
  verdictLabel: string;
  /** One sentence: the worst finding, or "Nothing stops this number from sending." */
  summary: string;
  /** Failing checks first (worst first), then those that pass. */
  checks: HealthCheckView[];
  checkedAt: string;
}

/** `GET /api/number-health`: the last verdict of each connected number. */
export interface NumberHealthListView {
  numbers: NumberHealthView[];
}
