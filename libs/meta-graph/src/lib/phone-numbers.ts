// A phone-number node as our code keeps it: the fields we read of it, and Meta's answer parsed
// once into our own type (camelCase, dates as Date), so no stored record holds Meta's JSON.
import type { PhoneNumber } from './graph-types';

/** The fields of a number every read asks for (discovery, "Test connection", the health read). */
export const PHONE_NUMBER_FIELDS = [
  'id',
  'display_phone_number',
  'verified_name',
  'quality_rating',
  'code_verification_status',
  'name_status',
  'status',
  'platform_type',
  'throughput',
  'whatsapp_business_manager_messaging_limit',
  'is_on_biz_app',
  'last_onboarded_time',
] as const;

/** Meta's facts about one number, in our words; a field Meta left out is null. */
export interface PhoneNumberFacts {
  phoneNumberId: string;
  /** Meta's display form ("+44 7700 900123"); the id when Meta gave none. */
  displayPhone: string;
  verifiedName: string | null;
  qualityRating: string | null;
  nameStatus: string | null;
  codeVerificationStatus: string | null;
  messagingLimit: string | null;
  platformType: string | null;
  throughputLevel: string | null;
  /** The node's `status` (CONNECTED, FLAGGED, …). */
  metaStatus: string | null;
  /** Also on the WhatsApp Business app (coexistence). */
  isOnBizApp: boolean;
  /** When the number was last onboarded (coexistence: the start of the sync window), or null. */
  lastOnboardedAt: Date | null;
}

export function toPhoneNumberFacts(number: PhoneNumber): PhoneNumberFacts {
  return {
    phoneNumberId: number.id,
    displayPhone: number.display_phone_number ?? number.id,
    verifiedName: number.verified_name ?? null,
    qualityRating: number.quality_rating ?? null,
    nameStatus: number.name_status ?? null,
    codeVerificationStatus: number.code_verification_status ?? null,
    messagingLimit: number.whatsapp_business_manager_messaging_limit ?? null,
    platformType: number.platform_type ?? null,
    throughputLevel: number.throughput?.level ?? null,
    metaStatus: number.status ?? null,
    isOnBizApp: number.is_on_biz_app === true,
    lastOnboardedAt: parseGraphTime(number.last_onboarded_time),
  };
}

/** Graph's `2026-12-01T10:00:00+0000`, or null when absent or not a time. */
export function parseGraphTime(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? null : date;
}
