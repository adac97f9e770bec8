import type { NumberAvailability, RegistrationState } from '@waba/contracts';
import { describeAvailability, describeQuality, type StatusTone } from '@waba/contracts/status';

export interface Label {
  label: string;
  tone: StatusTone;
}

/** Meta's quality rating in words (derived once, in libs/contracts status.ts). */
export const qualityLabel: (rating: string | null) => Label = describeQuality;

const REGISTRATION: Record<RegistrationState, string> = {
  registered: 'Registered for Cloud API',
  not_needed: 'Already on Cloud API',
  pending: 'Registration pending',
  failed: 'Registration failed',
};

export function registrationLabel(registration: RegistrationState): string {
  return REGISTRATION[registration] ?? registration;
}

/** Whether the picker may offer a number (derived once, in libs/contracts status.ts). */
export const availabilityLabel: (availability: NumberAvailability) => Label = describeAvailability;

/** "APPROVED", "PENDING_REVIEW", "TIER_2K" → "approved", "pending review", "2K / day". */
export function metaWords(value: string | null, fallback = 'unknown'): string {
  if (!value) {
    return fallback;
  }
  const tier = /^TIER_(.+)$/.exec(value);
  if (tier) {
    return tier[1] === 'NOT_SET' ? 'not set' : tier[1] === 'UNLIMITED' ? 'unlimited' : `${tier[1]} conversations / day`;
  }
  return value.toLowerCase().replace(/_/g, ' ');
}
