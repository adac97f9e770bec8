import type { TenantEventView } from '../whatsapp/events.dto';
import type { HealthCheckKey, HealthFix, NumberVerdict } from '../whatsapp/number-health.dto';
import type { NumberStatusKind, StatusIcon, StatusTone } from '../whatsapp/status';
import type { ConnectionSource } from '../whatsapp/whatsapp.dto';

/** A number's status as `deriveNumberStatus` (status.ts) words it. */
export interface NumberStatusView {
  kind: NumberStatusKind;
  label: string;
  tone: StatusTone;
  icon: StatusIcon;
  explanation: string | null;
}

/** One of the tenant's numbers on the Overview, with the one derived status (status.ts). */
export interface OverviewNumberView {
  phoneNumberId: string;
  wabaId: string;
  wabaName: string | null;
  displayPhone: string;
  verifiedName: string | null;
  isActive: boolean;
  status: NumberStatusView;
}

/** How many numbers share one status ("2 Connected", "1 Flagged"), worst first. */
export interface OverviewStatusCountView {
  kind: NumberStatusKind;
  label: string;
  tone: StatusTone;
  count: number;
}

export type AttentionKind = 'reconnect_needed' | 'restricted_account' | 'credential_expiring' | 'banned' | 'restricted_number' | 'flagged' | 'failed' | 'quality_medium';

/** What fixes it: the consent flow again, or a look at the number or the account on the WhatsApp page. */
export type AttentionFix = 'reconnect' | 'review_number' | 'review_account';

/** One thing that needs the tenant, in words, with what fixes it. */
export interface AttentionItemView {
  kind: AttentionKind;
  tone: StatusTone;
  /** "Reconnect Acme Bakery", "+1 555-010-0177 is flagged for low quality". */
  title: string;
  /** What it means and what to do. */
  detail: string;
  fix: AttentionFix;
  wabaId: string;
  /** The number concerned; null when the whole account is. */
  phoneNumberId: string | null;
}

/** A consent whose numbers were not picked yet; the picker is still open until `expiresAt`. */
export interface OnboardingInProgressView {
  id: string;
  source: ConnectionSource;
  expiresAt: string;
  wabaCount: number;
  numberCount: number;
}

/** How many numbers share one verdict ("2 Can send", "1 Cannot send"), worst first. */
export interface OverviewVerdictCountView {
  verdict: NumberVerdict;
  label: string;
  count: number;
}

/** Why a number needs the tenant, by its health verdict: cannot send first, then an expiring credential, a rejected name, the rest. */
export type HealthAttentionKind = 'cannot_send' | 'credential_expiring' | 'name_rejected' | 'limited';

export interface HealthAttentionView {
  kind: HealthAttentionKind;
  phoneNumberId: string;
  wabaId: string;
  displayPhone: string;
  verdict: NumberVerdict;
  /** "+1 555-010-0199 cannot send". */
  title: string;
  /** Why, and what to do, in words. */
  detail: string;
  check: HealthCheckKey;
  /** The button that fixes it on the WhatsApp page; null when only the business can (in WhatsApp Manager). */
  fix: HealthFix | null;
}

/** A message template that cannot be sent (paused, rejected, disabled): the Overview links to its WABA's Templates page. */
export interface TemplateAttentionView {
  templateId: string;
  wabaId: string;
  name: string;
  language: string;
  status: string;
  /** "order_update (en_US) is paused". */
  title: string;
  /** What it means, and what to do, in words. */
  detail: string;
}

/** The Overview built on the numbers' health verdicts (number-health.dto.ts). */
export interface OverviewHealthView {
  byVerdict: OverviewVerdictCountView[];
  attention: HealthAttentionView[];
  /** When the oldest verdict shown was taken; null when no number has one yet. */
  oldestCheckAt: string | null;
}

/** `GET /api/overview`: the tenant's dashboard in one call. */
export interface OverviewView {
  /** Can each number send: counts by verdict and what needs attention first. */
  health: OverviewHealthView;
  /** Templates that cannot be sent, newest change first (at most 10). */
  templates: TemplateAttentionView[];
  numbers: OverviewNumberView[];
  byStatus: OverviewStatusCountView[];
  attention: AttentionItemView[];
  onboarding: OnboardingInProgressView[];
  /** The latest few events, newest first, already in words. */
  recentEvents: TenantEventView[];
  eventTotal: number;
}
