import type { TenantEventView } from '../whatsapp/events.dto';
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

/** `GET /api/overview`: the tenant's dashboard in one call. */
export interface OverviewView {
  numbers: OverviewNumberView[];
  byStatus: OverviewStatusCountView[];
  attention: AttentionItemView[];
  onboarding: OnboardingInProgressView[];
  /** The latest few events, newest first, already in words. */
  recentEvents: TenantEventView[];
  eventTotal: number;
}
