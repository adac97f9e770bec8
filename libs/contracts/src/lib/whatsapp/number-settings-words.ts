// Words for display-name reviews, shared by the webhook applier and the settings answers.
import { DISPLAY_NAME_RULES, REGISTRATION_LIMIT, type DisplayNameRequestStatus } from './number-settings.dto';

/** Meta's rejection reasons as we have seen them, in words; an unknown one is shown humanised. */
const REJECTION_WORDS: Record<string, string> = {
  NAME_FORMAT_UNACCEPTABLE: "the name's format breaks Meta's display name guidelines (capitals, punctuation, emoji or extra words)",
  NAME_NOT_ACCURATE: 'the name does not clearly match the business it represents',
  NAME_MISMATCH: "the name does not match the business's name, website or branding",
  NAME_GENERIC: 'the name is too generic (a common word or a place alone)',
  NAME_INCLUDES_PERSONAL: "the name is a person's name, which Meta does not accept for a business",
};

export function describeRejection(reason: string | null | undefined): string {
  if (!reason) return 'Meta gave no reason; read its display name guidelines and try another name.';
  const words = REJECTION_WORDS[reason] ?? reason.toLowerCase().replace(/_/g, ' ');
  return `Meta rejected the name: ${words}. Choose a name that follows Meta's display name guidelines and ask again.`;
}

export function describeNameRequestStatus(status: DisplayNameRequestStatus): string {
  switch (status) {
    case 'in_review':
      return 'Meta is reviewing the name. The number keeps sending under its current name meanwhile.';
    case 'approved':
      return `Meta approved the name. It shows once the number is registered again for the Cloud API; do that within ${DISPLAY_NAME_RULES.reregisterWithinDays} days of the approval.`;
    case 'applied':
      return 'The number was registered again and now uses this name.';
    case 'rejected':
      return 'Meta rejected the name.';
    case 'deferred':
      return 'Meta put the review off; it will decide later and we will show the decision here.';
    case 'expired':
      return `The approval lapsed because the number was not registered again within ${DISPLAY_NAME_RULES.reregisterWithinDays} days; ask again.`;
  }
}

/** `name_status` of the current name, in words. */
export function describeNameStatus(status: string | null): string {
  switch (status) {
    case 'APPROVED':
      return 'Approved by Meta: WhatsApp shows this name.';
    case 'AVAILABLE_WITHOUT_REVIEW':
      return 'Usable without review for now; Meta reviews it when the number reaches a higher messaging limit.';
    case 'PENDING_REVIEW':
      return 'Meta is reviewing this name.';
    case 'DECLINED':
      return 'Meta declined this name: request another one.';
    case 'EXPIRED':
      return 'The name approval expired: request the name again.';
    case 'NONE':
    case null:
      return 'No name review on record.';
    default:
      return status.toLowerCase().replace(/_/g, ' ');
  }
}

/** Meta's rules for changing a display name, in words, with what this number has used. */
export function displayNameRules(requestsInWindow: number): string[] {
  return [
    "Meta reviews every new display name against its display name guidelines; the name must plainly be your business's name.",
    `Only one change can be in review at a time, and Meta allows about ${DISPLAY_NAME_RULES.changesPerWindow} changes per number in ${DISPLAY_NAME_RULES.windowDays} days (${requestsInWindow} asked for this number so far).`,
    `An approved name shows only after the number is registered again for the Cloud API, within ${DISPLAY_NAME_RULES.reregisterWithinDays} days. WABA Connect does that with the two-step PIN it stored; each registration spends one of Meta's ${REGISTRATION_LIMIT.attempts} attempts per ${REGISTRATION_LIMIT.windowHours} hours.`,
  ];
}
