import type { NumberAvailability, PhoneNumberState, RegistrationState } from '@waba/contracts';
import type { StatusTone } from '../shared/ui/status-badge.component';

export interface Label {
  label: string;
  tone: StatusTone;
}

const QUALITY: Record<string, Label> = {
  GREEN: { label: 'Quality: high', tone: 'good' },
  YELLOW: { label: 'Quality: medium', tone: 'warn' },
  RED: { label: 'Quality: low', tone: 'bad' },
};

/** Meta's quality rating (GREEN / YELLOW / RED / UNKNOWN) in words. */
export function qualityLabel(rating: string | null): Label {
  return (rating && QUALITY[rating.toUpperCase()]) || { label: 'Quality: unknown', tone: 'neutral' };
}

const STATES: Record<PhoneNumberState, Label> = {
  connected: { label: 'Connected', tone: 'good' },
  pending: { label: 'Connecting…', tone: 'warn' },
  failed: { label: 'Failed', tone: 'bad' },
  disconnected: { label: 'Disconnected', tone: 'neutral' },
};

export function stateLabel(state: PhoneNumberState): Label {
  return STATES[state] ?? { label: state, tone: 'neutral' };
}

const REGISTRATION: Record<RegistrationState, string> = {
  registered: 'Registered for Cloud API',
  not_needed: 'Already on Cloud API',
  pending: 'Registration pending',
  failed: 'Registration failed',
};

export function registrationLabel(registration: RegistrationState): string {
  return REGISTRATION[registration] ?? registration;
}

const AVAILABILITY: Record<NumberAvailability, Label> = {
  available: { label: 'Available', tone: 'good' },
  connected_here: { label: 'Already connected here', tone: 'neutral' },
  taken: { label: 'Taken by another account', tone: 'bad' },
};

export function availabilityLabel(availability: NumberAvailability): Label {
  return AVAILABILITY[availability] ?? { label: availability, tone: 'neutral' };
}

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
