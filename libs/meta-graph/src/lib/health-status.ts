// Meta's `health_status` field (docs/meta.md §13): whether messages can be sent through a node,
// with one entry per node the send would involve. Shapes only, in Meta's snake_case; the client
// reads them with field expansion so one call per WABA covers the WABA and every number in it.
import type { FieldSpec } from './field-expansion';
import type { GraphList, PhoneNumber, SubscribedApp, Waba } from './graph-types';
import { PHONE_NUMBER_FIELDS } from './phone-numbers';

/** AVAILABLE: meets every requirement; LIMITED: sends, with limits (`additional_info`); BLOCKED: cannot send (`errors`). */
export type CanSendMessage = 'AVAILABLE' | 'LIMITED' | 'BLOCKED';
export const CAN_SEND_MESSAGE_VALUES: readonly CanSendMessage[] = ['AVAILABLE', 'LIMITED', 'BLOCKED'];

export type HealthEntityType = 'PHONE_NUMBER' | 'WABA' | 'BUSINESS' | 'APP' | 'MESSAGE_TEMPLATE';
export const HEALTH_ENTITY_TYPES: readonly HealthEntityType[] = ['PHONE_NUMBER', 'WABA', 'BUSINESS', 'APP', 'MESSAGE_TEMPLATE'];

export interface HealthStatusError {
  error_code: number;
  error_description: string;
  possible_solution: string;
}

/** Meta's code for a number that is not on the Cloud API (docs/meta.md §13). */
const NOT_REGISTERED_CODE = 133010;

/** A `health_status` error saying the number is not registered on the Cloud API: registering it again fixes it. */
export function saysNotRegistered(error: HealthStatusError): boolean {
  return error.error_code === NOT_REGISTERED_CODE;
}

export interface HealthEntity {
  entity_type: HealthEntityType;
  id: string;
  can_send_message: CanSendMessage;
  /** Calling over SIP; present on PHONE_NUMBER and APP entities in newer versions. */
  can_receive_call_sip?: CanSendMessage;
  /** Present when BLOCKED. */
  errors?: HealthStatusError[];
  /** Present when LIMITED: sentences on the limitation. */
  additional_info?: string[];
}

/** `GET /{node}?fields=health_status` → `health_status`. The overall value is the worst entity's. */
export interface HealthStatus {
  can_send_message: CanSendMessage;
  entities: HealthEntity[];
}

export interface PhoneNumberWithHealth extends PhoneNumber {
  health_status?: HealthStatus;
}

/** One read of a WABA for a health refresh: its health, our subscription and its numbers with theirs. */
export interface WabaHealthRead extends Omit<Waba, 'phone_numbers'> {
  health_status?: HealthStatus;
  subscribed_apps?: GraphList<SubscribedApp>;
  phone_numbers?: GraphList<PhoneNumberWithHealth>;
}

/** The number fields a health refresh needs: those of every number read, and `health_status`. */
export const HEALTH_PHONE_NUMBER_FIELDS = [...PHONE_NUMBER_FIELDS, 'health_status'] as const;

/**
 * One call per WABA: the WABA's `health_status`, its `subscribed_apps` and, by field expansion,
 * each number with its own `health_status` (which already names the WABA, business and app).
 */
export const WABA_HEALTH_FIELDS: FieldSpec[] = [
  'id',
  'name',
  'account_review_status',
  'health_status',
  { edge: 'subscribed_apps', fields: ['whatsapp_business_api_data', 'override_callback_uri'] },
  { edge: 'phone_numbers', fields: [...HEALTH_PHONE_NUMBER_FIELDS], limit: 100 },
];

const RANK: Record<CanSendMessage, number> = { AVAILABLE: 0, LIMITED: 1, BLOCKED: 2 };

/** Meta's rule for the overall value: the worst of the entities (AVAILABLE when there are none). */
export function worstCanSend(values: readonly CanSendMessage[]): CanSendMessage {
  return values.reduce<CanSendMessage>((worst, value) => (RANK[value] > RANK[worst] ? value : worst), 'AVAILABLE');
}

/** A `health_status` value as Graph sent it, or undefined when it is not one (defensive: Meta adds values). */
export function readHealthStatus(value: unknown): HealthStatus | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const raw = value as { can_send_message?: unknown; entities?: unknown };
  const overall = asCanSend(raw.can_send_message);
  if (!overall) return undefined;
  const entities = Array.isArray(raw.entities) ? raw.entities.flatMap((e) => readEntity(e) ?? []) : [];
  return { can_send_message: overall, entities };
}

function readEntity(value: unknown): HealthEntity | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  const canSend = asCanSend(raw['can_send_message']);
  const type = HEALTH_ENTITY_TYPES.find((t) => t === raw['entity_type']);
  if (!canSend || !type || typeof raw['id'] !== 'string') return undefined;
  const errors = Array.isArray(raw['errors'])
    ? raw['errors'].flatMap((e: unknown) => {
        const error = e as Partial<HealthStatusError> | null;
        if (!error || typeof error !== 'object') return [];
        return [{ error_code: Number(error.error_code ?? 0), error_description: String(error.error_description ?? ''), possible_solution: String(error.possible_solution ?? '') }];
      })
    : undefined;
  const info = Array.isArray(raw['additional_info']) ? raw['additional_info'].map(String) : undefined;
  return { entity_type: type, id: raw['id'], can_send_message: canSend, ...(errors && { errors }), ...(info && { additional_info: info }) };
}

function asCanSend(value: unknown): CanSendMessage | undefined {
  return CAN_SEND_MESSAGE_VALUES.find((v) => v === value);
}

/** `GET /{app-id}/subscriptions` (app token): the app-level webhook subscription per object type. */
export interface AppSubscription {
  object: string;
  callback_url?: string;
  active: boolean;
  fields: Array<{ name: string; version?: string }>;
}

/** The webhook fields our product needs on `whatsapp_business_account` (docs/meta.md §13). */
export const REQUIRED_WEBHOOK_FIELDS = ['messages', 'account_update', 'phone_number_quality_update', 'phone_number_name_update'] as const;
