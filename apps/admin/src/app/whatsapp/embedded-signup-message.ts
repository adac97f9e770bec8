import type { EmbeddedSignupEvent, EmbeddedSignupSessionInfo } from '@waba/contracts';
import { EMBEDDED_SIGNUP_FINISH_EVENTS, EMBEDDED_SIGNUP_MESSAGE_TYPE } from '@waba/meta-graph/embedded-signup';

/** What one `WA_EMBEDDED_SIGNUP` message says, in our words. */
export type SignupMessage =
  | { kind: 'finish'; event: EmbeddedSignupEvent; sessionInfo: EmbeddedSignupSessionInfo }
  | { kind: 'cancel'; step: string | null }
  | { kind: 'error'; message: string; errorCode: string | null; sessionId: string | null };

/**
 * Reads a `window` message event: only from `trustedOrigin` (the SDK's), only Meta's
 * `WA_EMBEDDED_SIGNUP` type, with `data` as a JSON string or an object. Anything else is null.
 */
export function readSignupMessage(event: Pick<MessageEvent, 'origin' | 'data'>, trustedOrigin: string): SignupMessage | null {
  if (event.origin !== trustedOrigin) {
    return null;
  }
  const payload = parse(event.data);
  if (!isRecord(payload) || payload['type'] !== EMBEDDED_SIGNUP_MESSAGE_TYPE) {
    return null;
  }
  const data = isRecord(payload['data']) ? payload['data'] : {};
  const name = payload['event'];
  if (typeof name === 'string' && (EMBEDDED_SIGNUP_FINISH_EVENTS as readonly string[]).includes(name)) {
    return { kind: 'finish', event: name as EmbeddedSignupEvent, sessionInfo: sessionInfoOf(name as EmbeddedSignupEvent, data) };
  }
  if (name === 'CANCEL' || name === 'ERROR') {
    const errorMessage = text(data['error_message']);
    if (errorMessage || name === 'ERROR') {
      return {
        kind: 'error',
        message: errorMessage ?? 'Meta reported an error during sign-up.',
        errorCode: text(data['error_code']),
        sessionId: text(data['session_id']),
      };
    }
    return { kind: 'cancel', step: text(data['current_step']) };
  }
  return null;
}

/** Meta's ids as the API's contract takes them; anything that is not a numeric id is left out. */
function sessionInfoOf(event: EmbeddedSignupEvent, data: Record<string, unknown>): EmbeddedSignupSessionInfo {
  const info: EmbeddedSignupSessionInfo = { event };
  const wabaId = metaId(data['waba_id']);
  const phoneNumberId = metaId(data['phone_number_id']);
  const businessId = metaId(data['business_id']);
  if (wabaId) info.wabaId = wabaId;
  if (phoneNumberId) info.phoneNumberId = phoneNumberId;
  if (businessId) info.businessId = businessId;
  return info;
}

function metaId(value: unknown): string | undefined {
  const id = typeof value === 'number' ? String(value) : value;
  return typeof id === 'string' && /^\d{1,32}$/.test(id) ? id : undefined;
}

function text(value: unknown): string | null {
  if (typeof value === 'number') {
    return String(value);
  }
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function parse(data: unknown): unknown {
  if (typeof data !== 'string') {
    return data;
  }
  try {
    return JSON.parse(data);
  } catch {
    // Other scripts post plain strings to window too; they are not ours.
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "PHONE_NUMBER_SETUP" → "phone number setup". */
export function stepName(step: string): string {
  return step.toLowerCase().replace(/_/g, ' ');
}
