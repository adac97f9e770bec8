/**
 * The one catalogue of what a failure means to a tenant: every error class the API answers with,
 * and Meta's known codes (Graph and Cloud API), as a sentence and an action. The API's exception
 * filter puts the sentence in `message`; the raw code and trace ids travel in `support`, which the
 * SPA shows only behind "Details for support". Pure (no class-validator), so the SPA imports it as
 * `@waba/contracts/errors`.
 */
export type ApiErrorCode =
  | 'validation_failed'
  | 'bad_request'
  | 'not_signed_in'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'too_large'
  | 'rate_limited'
  | 'meta_token_invalid'
  | 'meta_token_other_app'
  | 'meta_credential_rejected'
  | 'meta_permission_missing'
  | 'meta_invalid_request'
  | 'meta_rate_limited'
  | 'meta_blocked'
  | 'meta_unavailable'
  | 'meta_error'
  | 'oauth_state_invalid'
  | 'oauth_code_used'
  | 'onboarding_expired'
  | 'credential_choice_needed'
  | 'number_needs_warning'
  | 'registration_needs_consent'
  | 'password_incorrect'
  | 'number_taken'
  | 'service_unavailable'
  | 'internal';

/** Raw facts for support staff; never shown unless the person opens "Details for support". */
export interface ErrorSupportInfo {
  /** Meta's `code` and `error_subcode`, when Meta refused. */
  metaCode?: number;
  metaSubcode?: number;
  /** Meta's `fbtrace_id` (Meta support asks for it) and our request id (our logs). */
  fbtraceId?: string;
  requestId?: string;
  /** The technical message (no secrets: Graph messages are redacted by libs/meta-graph). */
  technical?: string;
}

export interface ErrorWords {
  message: string;
  action: string;
}

const BY_CODE: Record<ApiErrorCode, ErrorWords> = {
  validation_failed: { message: 'Some fields are not valid.', action: 'Correct the fields listed and try again.' },
  bad_request: { message: 'That request could not be handled.', action: 'Check what you entered and try again.' },
  not_signed_in: { message: 'You are not signed in.', action: 'Sign in and try again.' },
  forbidden: { message: 'You do not have permission to do that.', action: 'Ask an owner of this account for access.' },
  not_found: { message: 'That was not found; it may have been removed.', action: 'Reload the page.' },
  conflict: { message: 'That conflicts with something that already exists.', action: 'Reload the page to see the current state.' },
  gone: { message: 'This link or item is no longer valid.', action: 'Ask for a new one.' },
  too_large: { message: 'That is too large to send.', action: 'Send something smaller.' },
  rate_limited: { message: 'Too many attempts in a short time.', action: 'Wait a minute, then try again.' },
  meta_token_invalid: {
    message: 'Meta does not accept this access token: it has expired, was revoked, or was copied incompletely.',
    action: 'Create a new system-user token in Meta Business Settings, paste all of it, and try again.',
  },
  meta_credential_rejected: {
    message: 'Meta no longer accepts the stored credential for this number, so it cannot send or receive.',
    action: 'Press Reconnect and go through Meta again; the same numbers are restored.',
  },
  meta_token_other_app: {
    message: 'This access token belongs to another Meta app, not to WABA Connect.',
    action: 'Create a system-user token for the WABA Connect app, or connect through Meta instead.',
  },
  meta_permission_missing: {
    message: 'Meta says this credential may not manage this WhatsApp Business Account: a permission or asset access is missing.',
    action: 'In Meta Business Settings, give the system user the WhatsApp Business Account and the whatsapp_business_management permission, then try again.',
  },
  meta_invalid_request: {
    message: 'Meta rejected the request: an ID is wrong, or it does not belong to this credential.',
    action: 'Check the phone number ID and WhatsApp Business Account ID in WhatsApp Manager and try again.',
  },
  meta_rate_limited: {
    message: 'Meta is limiting how often we may call it for this account right now.',
    action: 'Wait a few minutes, then try again; nothing was lost.',
  },
  meta_blocked: {
    message: 'Meta has temporarily blocked this action for this account.',
    action: 'Wait before trying again (Meta names the wait in WhatsApp Manager).',
  },
  meta_unavailable: { message: 'Meta is not answering properly right now.', action: 'Try again in a few minutes.' },
  meta_error: { message: 'Meta refused the request.', action: 'Try again; if it keeps failing, open the details below and contact support.' },
  oauth_state_invalid: {
    message: 'This sign-in with Meta cannot be finished: it was already used, has expired, or was started by someone else.',
    action: 'Press Connect WhatsApp to start a fresh sign-in.',
  },
  oauth_code_used: { message: "Meta's sign-in answer was already used or has expired.", action: 'Press Connect WhatsApp to start a fresh sign-in.' },
  onboarding_expired: { message: 'This selection of numbers has expired.', action: 'Connect WhatsApp again to see your numbers.' },
  credential_choice_needed: {
    message: 'This WhatsApp Business Account already works with a credential from Meta sign-in; adding the number with the pasted token would replace it.',
    action: 'Choose whether to keep the current credential or to use the pasted token instead.',
  },
  number_needs_warning: {
    message: 'Meta flagged or restricted this number, so messages from it may not get through.',
    action: 'Make it active only if you accept that; otherwise choose a number without a warning.',
  },
  registration_needs_consent: {
    message: 'The number still has to be registered for the Cloud API, and each try spends one of the few registration attempts Meta allows.',
    action: 'Press Register again to spend one attempt, or wait until the cause of the last failure is fixed.',
  },
  password_incorrect: { message: 'That password is not correct.', action: 'Enter the password you sign in with and try again.' },
  number_taken: {
    message: 'This number is connected to another WABA Connect workspace.',
    action: 'Pick another number, or ask whoever connected it there to disconnect it first.',
  },
  service_unavailable: { message: 'The service is briefly unavailable.', action: 'Try again in a moment.' },
  internal: { message: 'Something went wrong on our side.', action: 'Try again; if it keeps happening, contact support with the details below.' },
};

/** Meta codes with more to say than their class (the classes: libs/meta-graph/src/lib/graph-errors.ts). */
const BY_META_CODE: Record<number, ErrorWords> = {
  368: { message: 'Meta temporarily blocked this account for a policy violation.', action: 'See WhatsApp Manager for the reason; wait before trying again.' },
  131047: { message: 'More than 24 hours have passed since the customer last wrote.', action: 'Send an approved template message instead.' },
  131026: { message: 'The message could not be delivered to this customer.', action: 'Check that the number uses WhatsApp and has accepted the latest terms.' },
  131048: { message: 'Meta is limiting messages from this number because of low quality (spam rate limit).', action: 'Check the quality rating and wait before sending more.' },
  131056: { message: 'Too many messages to the same customer in a short time.', action: 'Wait a little before writing to this customer again; others are not affected.' },
  131057: { message: 'The account is in maintenance for a few moments.', action: 'Try again in a minute.' },
  132001: { message: 'The message template does not exist or is not approved.', action: 'Check the template in WhatsApp Manager.' },
  133005: { message: "The two-step verification PIN does not match the number's PIN.", action: 'Reset the PIN in WhatsApp Manager, or enter the current one.' },
  133010: { message: 'The number is not registered for the Cloud API yet.', action: 'Connect the number again so we can register it.' },
  133016: {
    message: 'Meta allows 10 registration attempts per 72 hours and this number has reached the limit.',
    action: 'Try again after 72 hours; further attempts now only extend the block.',
  },
};

const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 613, 80007, 80008, 130429]);
const TOKEN_CODES = new Set([0, 102, 190]);
const PERMISSION_CODES = new Set([3, 10]);
const TEMPORARY_CODES = new Set([1, 2, 131000, 131016]);

/** The API error class a Meta code belongs to. */
export function codeOfMetaError(metaCode: number | undefined): ApiErrorCode {
  if (metaCode === undefined) return 'meta_unavailable';
  if (TOKEN_CODES.has(metaCode)) return 'meta_token_invalid';
  if (PERMISSION_CODES.has(metaCode) || (metaCode >= 200 && metaCode <= 299)) return 'meta_permission_missing';
  if (RATE_LIMIT_CODES.has(metaCode)) return 'meta_rate_limited';
  if (TEMPORARY_CODES.has(metaCode)) return 'meta_unavailable';
  if (metaCode === 100) return 'meta_invalid_request';
  if (metaCode === 368 || metaCode === 133016) return 'meta_blocked';
  return 'meta_error';
}

/** A sentence and an action for an error class, refined by Meta's code when there is one. */
export function describeError(code: ApiErrorCode, metaCode?: number): ErrorWords {
  if (metaCode !== undefined && BY_META_CODE[metaCode]) return BY_META_CODE[metaCode];
  if (metaCode !== undefined && metaCode >= 133000 && metaCode < 134000 && code === 'meta_error') {
    return { message: 'Meta refused to register or deregister the number.', action: 'Check the number in WhatsApp Manager, then connect it again.' };
  }
  if (metaCode !== undefined && metaCode >= 131000 && metaCode < 132000 && code === 'meta_error') {
    return { message: 'Meta could not send the message.', action: 'Open the details below; try again later.' };
  }
  return BY_CODE[code] ?? BY_CODE.internal;
}

/** The error class of an HTTP status, for answers that did not name one. */
export function codeOfStatus(status: number): ApiErrorCode {
  const known: Record<number, ApiErrorCode> = {
    400: 'bad_request',
    401: 'not_signed_in',
    403: 'forbidden',
    404: 'not_found',
    409: 'conflict',
    410: 'gone',
    413: 'too_large',
    429: 'rate_limited',
    502: 'meta_unavailable',
    503: 'service_unavailable',
  };
  return known[status] ?? 'internal';
}

const CREDENTIAL_SOURCES: Record<string, string> = {
  embedded_signup: 'Embedded Signup',
  oauth: 'the Meta login (OAuth)',
  manual: 'a pasted access token',
};

/** How a stored credential reached us, in words ("Embedded Signup"). */
export function describeCredentialSource(source: string): string {
  return CREDENTIAL_SOURCES[source] ?? source;
}

/** "today", "yesterday", "12 days ago". */
function ageInWords(savedAt: Date | null, now: Date): string {
  if (!savedAt) return 'at an unknown time';
  const days = Math.floor((now.getTime() - savedAt.getTime()) / 86_400_000);
  return days <= 0 ? 'today' : days === 1 ? 'yesterday' : `${days} days ago`;
}

/**
 * The 409 of a manual add to a WABA that already works with a credential from Meta sign-in: names
 * that credential's source and age, and the two choices (`credentialChoice`).
 */
export function describeCredentialConflict(conflict: { wabaId: string; source: string; savedAt: Date | null; now: Date }): string {
  return (
    `WhatsApp Business Account ${conflict.wabaId} already works with a credential from ${describeCredentialSource(conflict.source)}, saved ${ageInWords(conflict.savedAt, conflict.now)}. ` +
    'Choose whether to keep it (the pasted token is checked with Meta, then not stored) or to store the pasted token in its place for every number of this account.'
  );
}
